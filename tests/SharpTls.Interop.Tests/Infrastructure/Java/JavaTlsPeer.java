// A TLS peer on Java's own TLS stack (JSSE), for SharpTls' interop tests. No dependencies: compiled with javac.
//   client HOST PORT SNI TRUST_PEM PROTOCOL CIPHER|- CONNECTIONS [CLIENT_PFX PASSWORD]
//   server PORT PFX PASSWORD PROTOCOL CIPHER|- CONNECTIONS none|require [TRUST_PEM]
// Each connection sends (client) or echoes (server) one line and prints one report line:
//   CONNECTION <n> protocol=<p> cipher=<c> resumed=<true|false> peer=<subject|->
// "resumed" is the session's own evidence: the client got back a session it had before (same ID and creation time);
// the server's session was created before this handshake began.
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.*;
import java.util.*;
import javax.net.ssl.*;

public final class JavaTlsPeer {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("client")) client(a); else server(a);
    }

    private static TrustManager[] trust(String pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        try (InputStream in = new FileInputStream(pem)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) ks.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        return tmf.getTrustManagers();
    }

    private static KeyManager[] keys(String pfx, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(pfx)) { ks.load(in, password.toCharArray()); }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, password.toCharArray());
        return kmf.getKeyManagers();
    }

    private static void configure(SSLParameters p, String protocol, String cipher) {
        p.setProtocols(new String[] { protocol });
        if (!cipher.equals("-")) p.setCipherSuites(new String[] { cipher });
    }

    private static String report(int n, SSLSession s, boolean resumed) {
        String peer = "-";
        try { peer = ((X509Certificate) s.getPeerCertificates()[0]).getSubjectX500Principal().getName(); } catch (SSLPeerUnverifiedException e) { }
        return "CONNECTION " + n + " protocol=" + s.getProtocol() + " cipher=" + s.getCipherSuite() + " resumed=" + resumed + " peer=" + peer;
    }

    private static void client(String[] a) throws Exception {
        String host = a[1], sni = a[3];
        int port = Integer.parseInt(a[2]), connections = Integer.parseInt(a[7]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(a.length > 9 ? keys(a[8], a[9]) : null, trust(a[4]), null);
        List<String> seen = new ArrayList<>();
        for (int n = 1; n <= connections; n++) {
            try (Socket plain = new Socket(host, port);
                 SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, sni, port, true)) {
                SSLParameters p = s.getSSLParameters();
                configure(p, a[5], a[6]);
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                SSLSession session = s.getSession();
                String key = Base64.getEncoder().encodeToString(session.getId()) + "@" + session.getCreationTime();
                boolean resumed = seen.contains(key);
                seen.add(key);
                PrintWriter out = new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                out.println("hello from java " + n);
                String echoed = in.readLine();
                System.out.println(report(n, session, resumed) + " echo=" + ("hello from java " + n).equals(echoed));
            }
        }
    }

    private static void server(String[] a) throws Exception {
        int port = Integer.parseInt(a[1]), connections = Integer.parseInt(a[6]);
        boolean require = a[7].equals("require");
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys(a[2], a[3]), require ? trust(a[8]) : null, null);
        try (SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port, 16, InetAddress.getByName("127.0.0.1"))) {
            System.out.println("LISTENING " + port);
            for (int n = 1; n <= connections; n++) {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    SSLParameters p = s.getSSLParameters();
                    configure(p, a[4], a[5]);
                    p.setNeedClientAuth(require);
                    s.setSSLParameters(p);
                    long start = System.currentTimeMillis();
                    try {
                        s.startHandshake();
                    } catch (IOException e) {
                        System.out.println("CONNECTION " + n + " failed: " + e);
                        continue;
                    }
                    SSLSession session = s.getSession();
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    PrintWriter out = new PrintWriter(new OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8), true);
                    out.println(line);
                    System.out.println(report(n, session, session.getCreationTime() < start) + " received=" + line);
                }
            }
        }
    }
}
