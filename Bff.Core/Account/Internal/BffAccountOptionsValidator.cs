using Microsoft.Extensions.Options;

namespace Bff.Account.Internal;

/// <summary>Refuses at start-up an account path that is not a local path and an alias Keycloak could not name.</summary>
internal sealed class BffAccountOptionsValidator : IValidateOptions<BffAccountOptions>
{
    public ValidateOptionsResult Validate(string? name, BffAccountOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Path) || options.Path[0] != '/' || options.Path.Contains('{', StringComparison.Ordinal))
        {
            failures.Add($"Bff:Account:Path must be a local path such as /bff/account (got '{options.Path}').");
        }

        foreach (var alias in options.AllowedActionNames())
        {
            if (!alias.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                failures.Add($"Bff:Account:AllowedActions: '{alias}' is not a required-action alias (letters, digits, '_', '-').");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
