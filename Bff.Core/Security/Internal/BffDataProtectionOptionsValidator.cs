using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Security.Internal;

/// <summary>Checks the <c>DataProtection</c> section at start-up, when the app asked the BFF for Data Protection.</summary>
internal sealed class BffDataProtectionOptionsValidator(IHostEnvironment environment) : IValidateOptions<BffDataProtectionOptions>
{
    public ValidateOptionsResult Validate(string? name, BffDataProtectionOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.KeysPath))
        {
            failures.Add("DataProtection:KeysPath is required, e.g. data/keys.");
        }

        if (string.IsNullOrWhiteSpace(options.ApplicationName))
        {
            failures.Add("DataProtection:ApplicationName must not be empty.");
        }

        if (options.CertificatePath is { } certificatePath)
        {
            using var certificate = KeyEncryptionCertificate.Load(Path.GetFullPath(certificatePath, environment.ContentRootPath), options.CertificatePassword, out var problem);
            if (problem is not null)
            {
                failures.Add(problem);
            }
        }
        else if (options.PreviousCertificates.Count > 0)
        {
            failures.Add("DataProtection:PreviousCertificates needs DataProtection:CertificatePath: previous certificates only read keys that a current one replaced.");
        }

        for (var i = 0; i < options.PreviousCertificates.Count; i++)
        {
            var previous = options.PreviousCertificates[i];
            using var certificate = KeyEncryptionCertificate.Load(Path.GetFullPath(previous.Path, environment.ContentRootPath), previous.Password, out var problem);
            if (problem is not null)
            {
                failures.Add(problem.Replace("DataProtection:CertificatePath", $"DataProtection:PreviousCertificates:{i}:Path", StringComparison.Ordinal)
                    .Replace("DataProtection:CertificatePassword", $"DataProtection:PreviousCertificates:{i}:Password", StringComparison.Ordinal));
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
