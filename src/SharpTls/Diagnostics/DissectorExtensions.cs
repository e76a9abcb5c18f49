using System.Text;
using SharpTls.Wire;

namespace SharpTls.Diagnostics;

// Extensions: struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
// (RFC 8446 §4.2). Each known type is decoded; the body's shape may depend on the message.
public sealed partial class Dissector
{
    private enum ExtensionOwner { ClientHello, ServerHello, HelloRetryRequest, EncryptedExtensions, Certificate, CertificateRequest, NewSessionTicket }

    private void Extensions(ref TlsReader r, DissectionNode node, ExtensionOwner owner)
    {
        var list = r.ReadVector16Reader("extensions");
        node.Add($"Extensions Length: {list.Remaining}", "tls.handshake.extensions_length", (long)list.Remaining);
        while (!list.IsEmpty)
        {
            ushort type = list.ReadUInt16("extension_type");
            var data = list.ReadVector16("extension_data");
            string name = ExtensionTypes.Name(type);
            string legacy = ExtensionTypes.LegacyName(type);
            // Old traces (seed 001) print "elliptic_curves" and "SessionTicket TLS": show both names.
            string shown = legacy != name ? $"{name} ({legacy})" : name;
            var ext = node.Add($"Extension: {shown} (len={data.Length})");
            ext.Add($"Type: {name} ({type})", "tls.handshake.extension.type", (long)type);
            ext.Add($"Length: {data.Length}", "tls.handshake.extension.len", (long)data.Length);
            var body = new TlsReader(data);
            try
            {
                Extension(type, ref body, ext, owner);
                if (!body.IsEmpty)
                    ext.Add($"[Trailing data: {body.Remaining} byte(s)]");
            }
            catch (TlsProtocolException e)
            {
                ext.Add($"[Malformed {name}: {e.Reason}]", "_ws.malformed", e.Reason);
            }
        }
    }

    private void Extension(ushort type, ref TlsReader r, DissectionNode ext, ExtensionOwner owner)
    {
        if (r.IsEmpty && type != 0 && type != 43)
            return; // the empty form (extended_master_secret, a server's server_name acknowledgement, ...)
        switch (type)
        {
            case 0: // server_name: ServerName server_name_list<1..2^16-1>; struct { NameType name_type; HostName host_name; }
            {
                if (r.IsEmpty)
                    return;
                var list = r.ReadVector16Reader("server_name_list", 1);
                var sni = ext.Add($"Server Name Indication extension");
                sni.Add($"Server Name list length: {list.Remaining}");
                while (!list.IsEmpty)
                {
                    byte nameType = list.ReadUInt8("name_type");
                    var host = list.ReadVector16("host_name", 1);
                    sni.Add($"Server Name Type: {(nameType == 0 ? "host_name" : "unknown")} ({nameType})");
                    sni.Add($"Server Name length: {host.Length}");
                    string name = Encoding.ASCII.GetString(host);
                    sni.Add($"Server Name: {name}", "tls.handshake.extensions_server_name", name);
                }
                return;
            }
            case 1: // max_fragment_length
            {
                byte v = r.ReadUInt8("max_fragment_length");
                ext.Add($"Maximum Fragment Length: {(v is >= 1 and <= 4 ? (256 << v).ToString() : "unknown")} ({v})");
                return;
            }
            case 5 when owner == ExtensionOwner.ClientHello: // status_request (RFC 6066 §8)
            {
                byte st = r.ReadUInt8("status_type");
                ext.Add($"Certificate Status Type: {SmallRegistryNames.Name((CertificateStatusType)st)} ({st})");
                ext.Add($"Responder ID list Length: {r.ReadVector16("responder_id_list").Length}");
                ext.Add($"Request Extensions Length: {r.ReadVector16("request_extensions").Length}");
                return;
            }
            case 5 when owner == ExtensionOwner.Certificate: // status_request in a TLS 1.3 CertificateEntry (RFC 8446 §4.4.2.1)
                CertificateStatusBody(ref r, ext);
                return;
            case 10: // supported_groups: NamedGroup named_group_list<2..2^16-1>
            {
                var list = r.ReadVector16Reader("named_group_list");
                ext.Add($"Supported Groups List Length: {list.Remaining}");
                var groups = ext.Add($"Supported Groups ({list.Remaining / 2} groups)");
                while (list.Remaining >= 2)
                {
                    ushort g = list.ReadUInt16("named_group");
                    groups.Add($"Supported Group: {NamedGroups.Name(g)} (0x{g:x4})", "tls.handshake.extensions_supported_group", (long)g);
                }
                return;
            }
            case 11: // ec_point_formats: ECPointFormat ec_point_format_list<1..2^8-1>
            {
                var formats = r.ReadVector8("ec_point_format_list", 1);
                ext.Add($"EC point formats Length: {formats.Length}");
                var f = ext.Add($"Elliptic curves point formats ({formats.Length})");
                foreach (byte b in formats)
                    f.Add($"EC point format: {EcPointFormats.Name(b)} ({b})", "tls.handshake.extensions_ec_point_format", (long)b);
                return;
            }
            case 13 or 50: // signature_algorithms(_cert): SignatureScheme supported_signature_algorithms<2..2^16-2>
            {
                var list = r.ReadVector16Reader("supported_signature_algorithms");
                ext.Add($"Signature Hash Algorithms Length: {list.Remaining}");
                var algs = ext.Add($"Signature Hash Algorithms ({list.Remaining / 2} algorithms)");
                while (list.Remaining >= 2)
                {
                    ushort s = list.ReadUInt16("signature_scheme");
                    algs.Add($"Signature Algorithm: {SignatureSchemes.Name(s)} (0x{s:x4})", type == 13 ? "tls.handshake.sig_hash_alg" : "tls.handshake.sig_hash_alg_cert", (long)s);
                }
                return;
            }
            case 16: // ALPN: ProtocolName protocol_name_list<2..2^16-1>; opaque ProtocolName<1..2^8-1>
            {
                var list = r.ReadVector16Reader("protocol_name_list");
                ext.Add($"ALPN Extension Length: {list.Remaining}");
                var protocols = ext.Add("ALPN Protocol");
                while (!list.IsEmpty)
                {
                    var p = list.ReadVector8("protocol_name", 1);
                    protocols.Add($"ALPN string length: {p.Length}");
                    string proto = Encoding.ASCII.GetString(p);
                    protocols.Add($"ALPN Next Protocol: {proto}", "tls.handshake.extensions_alpn_str", proto);
                }
                return;
            }
            case 21: // padding
                ext.Add($"Padding Data: {Hex(r.ReadBytes(r.Remaining, "padding"), 16)}");
                return;
            case 27: // compress_certificate: CertificateCompressionAlgorithm algorithms<2..2^8-2>
            {
                var list = r.ReadVector8Reader("algorithms");
                ext.Add($"Algorithms Length: {list.Remaining}");
                while (list.Remaining >= 2)
                {
                    ushort a = list.ReadUInt16("algorithm");
                    ext.Add($"Algorithm: {SmallRegistryNames.Name((CertificateCompressionAlgorithm)a)} ({a})", "tls.compress_certificate.algorithm", (long)a);
                }
                return;
            }
            case 28: // record_size_limit
            {
                ushort limit = r.ReadUInt16("record_size_limit");
                ext.Add($"Record Size Limit: {limit}", "tls.record_size_limit", (long)limit);
                return;
            }
            case 35: // session_ticket
                ext.Add($"Session Ticket: {Hex(r.ReadBytes(r.Remaining, "ticket"), 32)}");
                return;
            case 41 when owner == ExtensionOwner.ClientHello: // pre_shared_key: identities, binders (RFC 8446 §4.2.11)
            {
                var ids = r.ReadVector16Reader("identities", 7);
                var pre = ext.Add($"Pre-Shared Key extension");
                pre.Add($"Identities Length: {ids.Remaining}");
                while (!ids.IsEmpty)
                {
                    var id = ids.ReadVector16("identity", 1);
                    uint age = ids.ReadUInt32("obfuscated_ticket_age");
                    pre.Add($"PSK Identity (length: {id.Length}): {Hex(id, 32)}, obfuscated_ticket_age: {age}");
                }
                var binders = r.ReadVector16Reader("binders", 33);
                pre.Add($"PSK Binders length: {binders.Remaining}");
                while (!binders.IsEmpty)
                    pre.Add($"PSK Binder: {Hex(binders.ReadVector8("binder", 32))}");
                return;
            }
            case 41: // the server's selected_identity
                ext.Add($"Selected Identity: {r.ReadUInt16("selected_identity")}");
                return;
            case 42 when owner == ExtensionOwner.NewSessionTicket: // early_data: max_early_data_size
                ext.Add($"Maximum Early Data Size: {r.ReadUInt32("max_early_data_size")}");
                return;
            case 43: // supported_versions: a list in ClientHello, the selected one in ServerHello/HRR
            {
                if (owner == ExtensionOwner.ClientHello)
                {
                    var list = r.ReadVector8Reader("versions", 2);
                    ext.Add($"Supported Versions length: {list.Remaining}");
                    while (list.Remaining >= 2)
                    {
                        ushort v = list.ReadUInt16("version");
                        ext.Add($"Supported Version: {ProtocolVersions.Describe(v)}", "tls.handshake.extensions.supported_version", (long)v);
                    }
                }
                else
                {
                    ushort v = r.ReadUInt16("selected_version");
                    ext.Add($"Supported Version: {ProtocolVersions.Describe(v)}", "tls.handshake.extensions.supported_version", (long)v);
                    if (owner is ExtensionOwner.ServerHello or ExtensionOwner.HelloRetryRequest)
                        NegotiatedVersion = v;
                }
                return;
            }
            case 44: // cookie
            {
                var cookie = r.ReadVector16("cookie", 1);
                ext.Add($"Cookie Length: {cookie.Length}");
                ext.Add($"Cookie: {Hex(cookie, 32)}");
                return;
            }
            case 45: // psk_key_exchange_modes: PskKeyExchangeMode ke_modes<1..255>
            {
                var modes = r.ReadVector8("ke_modes", 1);
                ext.Add($"PSK Key Exchange Modes Length: {modes.Length}");
                foreach (byte m in modes)
                    ext.Add($"PSK Key Exchange Mode: {(Grease.IsGreaseByte(m) ? "Reserved (GREASE)" : SmallRegistryNames.Name((PskKeyExchangeMode)m))} ({m})", "tls.extension.psk_ke_mode", (long)m);
                return;
            }
            case 51: // key_share (RFC 8446 §4.2.8)
                KeyShare(ref r, ext, owner);
                return;
            case 0xFE0D when owner == ExtensionOwner.ClientHello: // encrypted_client_hello (draft-ietf-tls-esni)
            {
                byte echType = r.ReadUInt8("type");
                ext.Add($"Client Hello type: {(echType == 0 ? "Outer Client Hello" : "Inner Client Hello")} ({echType})");
                if (echType != 0)
                    return;
                ushort kdf = r.ReadUInt16("kdf_id"), aead = r.ReadUInt16("aead_id");
                ext.Add($"Cipher Suite: KDF 0x{kdf:x4}, AEAD 0x{aead:x4}");
                ext.Add($"Config Id: {r.ReadUInt8("config_id")}");
                ext.Add($"Enc length: {r.ReadVector16("enc").Length}");
                ext.Add($"Payload length: {r.ReadVector16("payload", 1).Length}");
                return;
            }
            case 0xFF01: // renegotiation_info: opaque renegotiated_connection<0..255>
            {
                var rc = r.ReadVector8("renegotiated_connection");
                var ri = ext.Add("Renegotiation Info extension");
                ri.Add($"Renegotiation info extension length: {rc.Length}", "tls.handshake.extensions_reneg_info_len", (long)rc.Length);
                if (rc.Length > 0)
                    ri.Add($"Renegotiation info: {Hex(rc)}");
                return;
            }
            default:
                ext.Add($"Data ({r.Remaining} bytes): {Hex(r.ReadBytes(r.Remaining, "extension_data"), 32)}");
                return;
        }
    }

    // ClientHello: KeyShareEntry client_shares<0..2^16-1>; ServerHello: KeyShareEntry server_share;
    // HelloRetryRequest: NamedGroup selected_group.   struct { NamedGroup group; opaque key_exchange<1..2^16-1>; }
    private static void KeyShare(ref TlsReader r, DissectionNode ext, ExtensionOwner owner)
    {
        var ks = ext.Add("Key Share extension");
        if (owner == ExtensionOwner.HelloRetryRequest)
        {
            ushort g = r.ReadUInt16("selected_group");
            ks.Add($"Selected Group: {NamedGroups.Name(g)} (0x{g:x4})", "tls.handshake.extensions_key_share_selected_group", (long)g);
            return;
        }
        if (owner == ExtensionOwner.ClientHello)
        {
            var list = r.ReadVector16Reader("client_shares");
            ks.Add($"Client Key Share Length: {list.Remaining}");
            while (!list.IsEmpty)
                KeyShareEntry(ref list, ks);
        }
        else
        {
            KeyShareEntry(ref r, ks);
        }
    }

    private static void KeyShareEntry(ref TlsReader r, DissectionNode ks)
    {
        ushort group = r.ReadUInt16("group");
        var key = r.ReadVector16("key_exchange", 1);
        var e = ks.Add($"Key Share Entry: Group: {NamedGroups.Name(group)}, Key Exchange length: {key.Length}");
        e.Add($"Group: {NamedGroups.Name(group)} ({group})", "tls.handshake.extensions_key_share_group", (long)group);
        e.Add($"Key Exchange Length: {key.Length}", "tls.handshake.extensions_key_share_key_exchange_length", (long)key.Length);
        e.Add($"Key Exchange: {Hex(key, 32)}");
    }
}
