using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Bff.Security.Internal;

/// <summary>
/// Loads the certificate that encrypts the Data Protection keys at rest (<c>DataProtection:CertificatePath</c>).
/// </summary>
internal static class KeyEncryptionCertificate
{
    /// <summary>
    /// Loads a PKCS#12 file and checks that it can encrypt and decrypt keys (an RSA private key);
    /// on failure returns <see langword="null"/> with a reason an operator can act on.
    /// </summary>
    public static X509Certificate2? Load(string path, string? password, out string? problem)
    {
        problem = null;
        if (!File.Exists(path))
        {
            problem = $"DataProtection:CertificatePath: there is no file at '{path}'.";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            // Ephemeral: the private key stays in memory, nothing is written to a user key store.
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException ex)
        {
            problem = $"DataProtection:CertificatePath: '{path}' cannot be read as a PKCS#12 (.pfx) file with DataProtection:CertificatePassword ({ex.Message}).";
            return null;
        }

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            problem = $"DataProtection:CertificatePath: '{path}' has no RSA private key; the keys can be encrypted and read back only with one.";
            return null;
        }

        return certificate;
    }
}
