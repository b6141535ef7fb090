namespace Bff.Security;

/// <summary>
/// How the BFF keeps its Data Protection keys (the <c>DataProtection</c> section), used only when the
/// app asks the BFF to set Data Protection up (<c>AddBff(...).AddDataProtection()</c>); otherwise the
/// host's own Data Protection setup protects the sessions. Relative paths are relative to the content root.
/// </summary>
public sealed class BffDataProtectionOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "DataProtection";

    /// <summary>
    /// The folder where Data Protection keys persist, so that a restart or another instance can read
    /// the sessions. Defaults to <c>data/keys</c>.
    /// </summary>
    public string KeysPath { get; set; } = "data/keys";

    /// <summary>
    /// The Data Protection application name; instances sharing keys must share it. Defaults to <c>Bff</c>.
    /// </summary>
    public string ApplicationName { get; set; } = "Bff";

    /// <summary>
    /// A PKCS#12 (.pfx) file with an RSA certificate and its private key, used to encrypt the Data
    /// Protection keys at rest (<c>DataProtection:CertificatePath</c>); without it the keys are written
    /// in the clear. Defaults to none.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/> (<c>DataProtection:CertificatePassword</c>). Defaults to none.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Certificates that encrypted keys earlier (<c>DataProtection:PreviousCertificates:n:Path</c> and
    /// <c>:Password</c>): read-only, so that a rotated <see cref="CertificatePath"/> does not end the
    /// sessions whose keys the old one encrypted. Keep one listed until those keys have expired.
    /// Defaults to none.
    /// </summary>
    public IList<KeyCertificateFile> PreviousCertificates { get; } = [];
}

/// <summary>A PKCS#12 file and its password.</summary>
/// <param name="Path">The file; relative paths are relative to the content root.</param>
/// <param name="Password">Its password, if any.</param>
public sealed record KeyCertificateFile(string Path, string? Password);
