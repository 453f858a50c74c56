using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TaskQueue.TestSupport;

/// <summary>
/// A throwaway certificate authority and a server certificate it signed for <c>127.0.0.1</c>/<c>localhost</c>, made
/// at test time with <see cref="CertificateRequest"/> (no openssl) and written as PEM files for <c>redis-server</c>.
/// </summary>
public sealed class TestCertificateAuthority
{
    private TestCertificateAuthority(string caCertificatePath, string serverCertificatePath, string serverKeyPath)
    {
        CaCertificatePath = caCertificatePath;
        ServerCertificatePath = serverCertificatePath;
        ServerKeyPath = serverKeyPath;
    }

    /// <summary>The CA certificate (PEM): what a client must trust.</summary>
    public string CaCertificatePath { get; }

    /// <summary>The server certificate (PEM), for <c>--tls-cert-file</c>.</summary>
    public string ServerCertificatePath { get; }

    /// <summary>The server's private key (PEM, PKCS#8, unencrypted), for <c>--tls-key-file</c>.</summary>
    public string ServerKeyPath { get; }

    /// <summary>The <c>redis-server</c> arguments for these files (clients need no certificate of their own).</summary>
    public IEnumerable<string> RedisServerArguments =>
    [
        "--tls-cert-file", ServerCertificatePath, "--tls-key-file", ServerKeyPath,
        "--tls-ca-cert-file", CaCertificatePath, "--tls-auth-clients", "no",
    ];

    /// <summary>Makes a CA named <paramref name="name"/> and a server certificate, valid for a day, in <paramref name="directory"/>.</summary>
    public static TestCertificateAuthority Create(string directory, string name = "TaskQueue test CA")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), serial);

        var authority = new TestCertificateAuthority(
            Path.Combine(directory, "ca.crt"), Path.Combine(directory, "server.crt"), Path.Combine(directory, "server.key"));
        File.WriteAllText(authority.CaCertificatePath, ca.ExportCertificatePem());
        File.WriteAllText(authority.ServerCertificatePath, server.ExportCertificatePem());
        File.WriteAllText(authority.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return authority;
    }
}
