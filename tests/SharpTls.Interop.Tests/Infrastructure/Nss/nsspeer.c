/*
 * nsspeer: a TLS 1.3 client or server on the NSS that Firefox ESR ships (NSS 3.12x, loaded with
 * LD_LIBRARY_PATH=/usr/lib/firefox-esr), for what Debian's NSS 3.87 tools cannot do: certificate compression
 * (RFC 8879, NSS's SSL_SetCertificateCompressionAlgorithm with zlib, brotli and zstd codecs, as Firefox registers them)
 * and the ML-KEM hybrid groups. Built by the interop tests (NssPeer.cs) against Debian's NSS 3.87 headers; the
 * newer API is declared here and reached through SSL_GetExperimentalAPI.
 *
 *   nsspeer server DBDIR NICKNAME PORT GROUPS COMPRESS   serves one connection on 127.0.0.1:PORT, echoes one line
 *   nsspeer client PORT GROUPS COMPRESS LINE              connects to 127.0.0.1:PORT, sends LINE, reads it back
 *
 * GROUPS: "default" or hex code points separated by commas (0x11ec,0x001d). COMPRESS: none, or any of zlib, brotli
 * and zstd separated by commas (registered in that order, as Firefox does). Output: one JSON object per line on stdout;
 * the codecs report each use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <brotli/encode.h>
#include <brotli/decode.h>
#include <zstd.h>
#include "prerror.h"
#include "prio.h"
#include "prnetdb.h"
#include "nss.h"
#include "pk11pub.h"
#include "cert.h"
#include "secitem.h"
#include "ssl.h"
#include "sslproto.h"
#include "sslexp.h"

/* sslt.h of NSS 3.9x and later. */
typedef struct {
    PRUint16 id;
    const char *name;
    SECStatus (*encode)(const SECItem *input, SECItem *output);
    SECStatus (*decode)(const SECItem *input, unsigned char *output, size_t outputLen, size_t *usedLen);
} CompressionAlgorithm;
typedef SECStatus (*SetCompressionFn)(PRFileDesc *fd, CompressionAlgorithm alg);

static void event(const char *what, const char *algorithm, unsigned long in, unsigned long out)
{
    printf("{\"event\":\"%s\",\"algorithm\":\"%s\",\"in\":%lu,\"out\":%lu}\n", what, algorithm, in, out);
    fflush(stdout);
}

static SECStatus zlib_encode(const SECItem *input, SECItem *output)
{
    uLongf n = compressBound(input->len);
    if (!SECITEM_AllocItem(NULL, output, (unsigned)n)) return SECFailure;
    if (compress2(output->data, &n, input->data, input->len, 9) != Z_OK) return SECFailure;
    output->len = (unsigned)n;
    event("encoded", "zlib", input->len, n);
    return SECSuccess;
}

static SECStatus zlib_decode(const SECItem *input, unsigned char *output, size_t outputLen, size_t *usedLen)
{
    uLongf n = outputLen;
    if (uncompress(output, &n, input->data, input->len) != Z_OK) return SECFailure;
    *usedLen = n;
    event("decoded", "zlib", input->len, n);
    return SECSuccess;
}

static SECStatus brotli_encode(const SECItem *input, SECItem *output)
{
    size_t n = BrotliEncoderMaxCompressedSize(input->len);
    if (!SECITEM_AllocItem(NULL, output, (unsigned)n)) return SECFailure;
    if (!BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, input->len, input->data, &n, output->data))
        return SECFailure;
    output->len = (unsigned)n;
    event("encoded", "brotli", input->len, n);
    return SECSuccess;
}

static SECStatus brotli_decode(const SECItem *input, unsigned char *output, size_t outputLen, size_t *usedLen)
{
    size_t n = outputLen;
    if (BrotliDecoderDecompress(input->len, input->data, &n, output) != BROTLI_DECODER_RESULT_SUCCESS) return SECFailure;
    *usedLen = n;
    event("decoded", "brotli", input->len, n);
    return SECSuccess;
}

static SECStatus zstd_encode(const SECItem *input, SECItem *output)
{
    size_t n = ZSTD_compressBound(input->len);
    if (!SECITEM_AllocItem(NULL, output, (unsigned)n)) return SECFailure;
    n = ZSTD_compress(output->data, n, input->data, input->len, ZSTD_CLEVEL_DEFAULT);
    if (ZSTD_isError(n)) return SECFailure;
    output->len = (unsigned)n;
    event("encoded", "zstd", input->len, n);
    return SECSuccess;
}

static SECStatus zstd_decode(const SECItem *input, unsigned char *output, size_t outputLen, size_t *usedLen)
{
    size_t n = ZSTD_decompress(output, outputLen, input->data, input->len);
    if (ZSTD_isError(n)) return SECFailure;
    *usedLen = n;
    event("decoded", "zstd", input->len, n);
    return SECSuccess;
}

static int fail(const char *where)
{
    PRErrorCode e = PR_GetError();
    printf("{\"handshake\":false,\"where\":\"%s\",\"error\":\"%s\"}\n", where, PR_ErrorToName(e) ? PR_ErrorToName(e) : "?");
    fflush(stdout);
    return 1;
}

static int configure(PRFileDesc *fd, const char *groups, const char *compress)
{
    SSLVersionRange range = { SSL_LIBRARY_VERSION_TLS_1_3, SSL_LIBRARY_VERSION_TLS_1_3 };
    if (SSL_VersionRangeSet(fd, &range) != SECSuccess) return fail("SSL_VersionRangeSet");
    if (strcmp(groups, "default") != 0) {
        SSLNamedGroup list[16];
        unsigned int n = 0;
        char *copy = strdup(groups), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save))
            list[n++] = (SSLNamedGroup)strtoul(t, NULL, 16);
        free(copy);
        if (SSL_NamedGroupConfig(fd, list, n) != SECSuccess) return fail("SSL_NamedGroupConfig");
    }
    if (strcmp(compress, "none") != 0) {
        SetCompressionFn set = (SetCompressionFn)SSL_GetExperimentalAPI("SSL_SetCertificateCompressionAlgorithm");
        if (!set) return fail("SSL_SetCertificateCompressionAlgorithm missing (not Firefox's NSS?)");
        CompressionAlgorithm zlib = { 1, "zlib", zlib_encode, zlib_decode };
        CompressionAlgorithm brotli = { 2, "brotli", brotli_encode, brotli_decode };
        CompressionAlgorithm zstd = { 3, "zstd", zstd_encode, zstd_decode };
        if (strstr(compress, "zlib") && set(fd, zlib) != SECSuccess) return fail("set zlib");
        if (strstr(compress, "brotli") && set(fd, brotli) != SECSuccess) return fail("set brotli");
        if (strstr(compress, "zstd") && set(fd, zstd) != SECSuccess) return fail("set zstd");
    }
    return 0;
}

static void report(PRFileDesc *fd)
{
    SSLChannelInfo info;
    char subject[512] = "";
    memset(&info, 0, sizeof info);
    SSL_GetChannelInfo(fd, &info, sizeof info);
    CERTCertificate *peer = SSL_PeerCertificate(fd);
    if (peer) {
        snprintf(subject, sizeof subject, "%s", peer->subjectName ? peer->subjectName : "");
        for (char *c = subject; *c; c++) if (*c == '"' || *c == '\\') *c = '\'';
        CERT_DestroyCertificate(peer);
    }
    printf("{\"handshake\":true,\"version\":\"0x%04x\",\"suite\":\"0x%04x\",\"group\":\"0x%04x\",\"peer_subject\":\"%s\"}\n",
           info.protocolVersion, info.cipherSuite, (unsigned)info.keaGroup, subject);
    fflush(stdout);
}

/* Echo (server) or send-and-expect (client) one line. */
static int exchange(PRFileDesc *fd, const char *send)
{
    char buffer[4096];
    int got = 0;
    if (send && PR_Write(fd, send, (PRInt32)strlen(send)) < 0) return fail("PR_Write");
    while (got < (int)sizeof buffer - 1) {
        PRInt32 n = PR_Read(fd, buffer + got, (PRInt32)(sizeof buffer - 1 - got));
        if (n <= 0) break;
        got += n;
        buffer[got] = 0;
        if (strchr(buffer, '\n')) break;
    }
    buffer[got] = 0;
    if (!send && got > 0 && PR_Write(fd, buffer, got) < 0) return fail("PR_Write");
    for (char *c = buffer; *c; c++) if (*c == '"' || *c == '\\' || *c == '\n' || *c == '\r') *c = ' ';
    printf("{\"received\":\"%s\"}\n", buffer);
    fflush(stdout);
    return 0;
}

static SECStatus accept_any(void *arg, PRFileDesc *fd, PRBool checkSig, PRBool isServer)
{
    (void)arg; (void)fd; (void)checkSig; (void)isServer;
    return SECSuccess; /* the tests check the subject reported; trust is not what this peer is for */
}

int main(int argc, char **argv)
{
    PRNetAddr addr;
    if (argc == 7 && strcmp(argv[1], "server") == 0) {
        if (NSS_Init(argv[2]) != SECSuccess) return fail("NSS_Init");
        NSS_SetDomesticPolicy();
        if (SSL_ConfigServerSessionIDCache(0, 0, 0, NULL) != SECSuccess) return fail("SSL_ConfigServerSessionIDCache");
        CERTCertificate *cert = PK11_FindCertFromNickname(argv[3], NULL);
        if (!cert) return fail("PK11_FindCertFromNickname");
        SECKEYPrivateKey *key = PK11_FindKeyByAnyCert(cert, NULL);
        if (!key) return fail("PK11_FindKeyByAnyCert");
        PRFileDesc *listener = PR_NewTCPSocket();
        PRSocketOptionData reuse = { PR_SockOpt_Reuseaddr, { PR_TRUE } };
        PR_SetSocketOption(listener, &reuse);
        PR_SetNetAddr(PR_IpAddrLoopback, PR_AF_INET, (PRUint16)atoi(argv[4]), &addr);
        if (PR_Bind(listener, &addr) != PR_SUCCESS || PR_Listen(listener, 4) != PR_SUCCESS) return fail("PR_Bind");
        printf("{\"listening\":%s}\n", argv[4]);
        fflush(stdout);
        PRFileDesc *tcp = PR_Accept(listener, NULL, PR_INTERVAL_NO_TIMEOUT);
        if (!tcp) return fail("PR_Accept");
        PRFileDesc *fd = SSL_ImportFD(NULL, tcp);
        if (!fd || configure(fd, argv[5], argv[6]) != 0) return 1;
        if (SSL_ConfigServerCert(fd, cert, key, NULL, 0) != SECSuccess) return fail("SSL_ConfigServerCert");
        if (SSL_ResetHandshake(fd, PR_TRUE) != SECSuccess || SSL_ForceHandshake(fd) != SECSuccess) return fail("handshake");
        report(fd);
        int rc = exchange(fd, NULL);
        PR_Close(fd);
        return rc;
    }
    if (argc == 6 && strcmp(argv[1], "client") == 0) {
        if (NSS_NoDB_Init(NULL) != SECSuccess) return fail("NSS_NoDB_Init");
        NSS_SetDomesticPolicy();
        PRFileDesc *tcp = PR_NewTCPSocket();
        PR_SetNetAddr(PR_IpAddrLoopback, PR_AF_INET, (PRUint16)atoi(argv[2]), &addr);
        if (PR_Connect(tcp, &addr, PR_SecondsToInterval(10)) != PR_SUCCESS) return fail("PR_Connect");
        PRFileDesc *fd = SSL_ImportFD(NULL, tcp);
        if (!fd || configure(fd, argv[3], argv[4]) != 0) return 1;
        SSL_SetURL(fd, "localhost");
        SSL_AuthCertificateHook(fd, accept_any, NULL);
        if (SSL_ResetHandshake(fd, PR_FALSE) != SECSuccess || SSL_ForceHandshake(fd) != SECSuccess) return fail("handshake");
        report(fd);
        char line[1024];
        snprintf(line, sizeof line, "%s\n", argv[5]);
        int rc = exchange(fd, line);
        PR_Close(fd);
        return rc;
    }
    fprintf(stderr, "usage: nsspeer server DBDIR NICKNAME PORT GROUPS COMPRESS | nsspeer client PORT GROUPS COMPRESS LINE\n");
    return 2;
}
