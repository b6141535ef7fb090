using Microsoft.Extensions.Options;

namespace Bff.Sessions.Internal;

/// <summary>Checks <c>ConnectionStrings:Bff</c> at start-up.</summary>
internal sealed class BffStorageOptionsValidator : IValidateOptions<BffStorageOptions>
{
    public ValidateOptionsResult Validate(string? name, BffStorageOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add("ConnectionStrings:Bff is required, e.g. Filename=data/bff.db.");
        }
        else
        {
            try
            {
                _ = new LiteDB.ConnectionString(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                failures.Add($"ConnectionStrings:Bff is not a valid LiteDB connection string: {ex.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
