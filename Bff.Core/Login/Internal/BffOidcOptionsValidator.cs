using Microsoft.Extensions.Options;

namespace Bff.Login.Internal;

/// <summary>Checks the <c>Oidc</c> section at start-up; every message names the setting to fix.</summary>
internal sealed class BffOidcOptionsValidator : IValidateOptions<BffOidcOptions>
{
    // Important: only asymmetric algorithms. HS* would let anyone holding the client secret (the
    // BFF itself, or a leaked copy) mint ID tokens, and "none" is no signature at all.
    internal static readonly HashSet<string> AllowedAlgorithms = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    public ValidateOptionsResult Validate(string? name, BffOidcOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Authority))
        {
            failures.Add("Oidc:Authority is required: the realm URL of the identity provider, e.g. http://localhost:8080/realms/bff.");
        }
        else if (!IsHttpUrl(options.Authority, out var authority))
        {
            failures.Add($"Oidc:Authority must be an absolute http(s) URL; '{options.Authority}' is not.");
        }
        else if (options.RequireHttpsMetadata == true && options.MetadataAddress is null && authority!.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add("Oidc:Authority must use https while Oidc:RequireHttpsMetadata is true (the default outside Development).");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Oidc:ClientId is required: the client id of the BFF's confidential client.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("Oidc:ClientSecret is required: the BFF is a confidential client.");
        }

        var algorithms = options.SignAlgorithms;
        if (algorithms.Count == 0)
        {
            failures.Add("Oidc:SignAlgorithm must name at least one algorithm, e.g. RS256.");
        }

        foreach (var algorithm in algorithms.Where(a => !AllowedAlgorithms.Contains(a)))
        {
            failures.Add($"Oidc:SignAlgorithm '{algorithm}' is not accepted: use an asymmetric algorithm ({string.Join(", ", AllowedAlgorithms)}); HS* and none are refused.");
        }

        CheckAbsolute(options.MetadataAddress, "Oidc:MetadataAddress", options.RequireHttpsMetadata == true, failures);
        CheckAbsolute(options.JwksUri, "Oidc:JwksUri", options.RequireHttpsMetadata == true, failures);
        CheckPath(options.CallbackPath, "Oidc:CallbackPath", failures);
        CheckPath(options.SignedOutCallbackPath, "Oidc:SignedOutCallbackPath", failures);

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string value, out Uri? uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static void CheckAbsolute(Uri? uri, string key, bool requireHttps, List<string> failures)
    {
        if (uri is null)
        {
            return;
        }

        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{key} must be an absolute http(s) URL.");
        }
        else if (requireHttps && uri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"{key} must use https while Oidc:RequireHttpsMetadata is true (the default outside Development).");
        }
    }

    internal static void CheckPath(string value, string key, List<string> failures)
    {
        if (string.IsNullOrEmpty(value) || value[0] != '/' || value.StartsWith("//", StringComparison.Ordinal))
        {
            failures.Add($"{key} must be a local path starting with a single '/'.");
        }
    }
}
