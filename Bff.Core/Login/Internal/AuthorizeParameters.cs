using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;

namespace Bff.Login.Internal;

/// <summary>
/// The authorization-request parameters a login may carry from <c>/bff/login</c>'s query to the identity
/// provider: only the names in <c>Bff:Login:AllowedParameters</c> (prompt, max_age, login_hint,
/// kc_idp_hint) and the step-up <c>acr_values</c>, each validated. Nothing else from the query reaches
/// the provider.
/// </summary>
internal static class AuthorizeParameters
{
    /// <summary>The names that may be allowed; anything else in the allow-list fails start-up.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "prompt", "max_age", "login_hint", "kc_idp_hint",
    };

    /// <summary>The acr values a step-up login asks for (<c>/bff/login?acr_values=2</c>); always accepted.</summary>
    public const string AcrValues = "acr_values";

    // The challenge's parameters (not persisted in the state) carry the checked values to the event.
    private const string ParametersKey = "bff.authorize";

    // OIDC Core 3.1.2.1's prompt values; none must stand alone.
    private static readonly HashSet<string> PromptValues = new(StringComparer.Ordinal) { "none", "login", "consent", "select_account" };

    private const int MaxHintLength = 256;

    /// <summary>
    /// Reads the allowed parameters from the query. Returns false with a reason a person can act on when
    /// a value is invalid, repeated or not allowed.
    /// </summary>
    public static bool TryRead(IQueryCollection query, IReadOnlySet<string> allowed, out Dictionary<string, string> parameters, out string? refusal)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        refusal = null;
        foreach (var name in Known.Append(AcrValues))
        {
            if (!query.TryGetValue(name, out var values))
            {
                continue;
            }

            if (name != AcrValues && !allowed.Contains(name))
            {
                refusal = $"The parameter {name} is not allowed here (Bff:Login:AllowedParameters).";
                return false;
            }

            if (values.Count != 1 || values[0] is not { } value)
            {
                refusal = $"The parameter {name} must be given once.";
                return false;
            }

            refusal = Check(name, value);
            if (refusal is not null)
            {
                return false;
            }

            parameters[name] = value;
        }

        return true;
    }

    /// <summary>Whether the login asks the provider not to show any page.</summary>
    public static bool IsSilent(IReadOnlyDictionary<string, string> parameters) =>
        parameters.TryGetValue("prompt", out var prompt) && prompt == "none";

    /// <summary>Puts the checked parameters into the challenge.</summary>
    public static void AddTo(AuthenticationProperties properties, IReadOnlyDictionary<string, string> parameters)
    {
        if (parameters.Count > 0)
        {
            properties.Parameters[ParametersKey] = parameters;
        }
    }

    /// <summary>
    /// Copies the parameters into the authorization request. Runs in the handler's
    /// RedirectToIdentityProvider event, before a pushed authorization request is sent, so they travel by
    /// PAR as well as in the redirect.
    /// </summary>
    public static void Apply(RedirectContext context)
    {
        if (context.Properties.GetParameter<IReadOnlyDictionary<string, string>>(ParametersKey) is not { } parameters)
        {
            return;
        }

        foreach (var (name, value) in parameters)
        {
            context.ProtocolMessage.SetParameter(name, value);
        }
    }

    private static string? Check(string name, string value)
    {
        if (value.Length == 0 || value.Length > MaxHintLength || value.Any(char.IsControl))
        {
            return $"The parameter {name} must be 1 to {MaxHintLength} printable characters.";
        }

        switch (name)
        {
            case "prompt":
                var prompts = value.Split(' ');
                if (prompts.Any(p => !PromptValues.Contains(p)) || (prompts.Contains("none") && prompts.Length > 1))
                {
                    return "prompt must be none, login, consent or select_account (none alone).";
                }

                return null;
            case "max_age":
                return value.Length <= 9 && value.All(char.IsAsciiDigit) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                    ? null
                    : "max_age must be a whole number of seconds (0 or more).";
            case "kc_idp_hint":
                return value.Length <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
                    ? null
                    : "kc_idp_hint must be an identity provider alias (letters, digits, '-', '_', '.').";
            case AcrValues:
                return value.Split(' ').All(v => v.Length is > 0 and <= 64 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                    ? null
                    : "acr_values must be space-separated level names (letters, digits, '-', '_', '.', ':').";
            default:
                return null;
        }
    }
}
