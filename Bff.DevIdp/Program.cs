namespace Bff.DevIdp;

/// <summary>Entry point of the development identity provider: <c>dotnet run --project Bff.DevIdp -- --urls http://localhost:8080</c>.</summary>
public static class Program
{
    /// <summary>Runs the DevIdp until stopped.</summary>
    public static async Task<int> Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        DevIdpState state;
        try
        {
            state = DevIdpApplication.CreateState(builder.Configuration, TimeProvider.System);
        }
        catch (Realms.DevIdpConfigurationException ex)
        {
            // A broken realm file is a user error: say which file and what, without a stack trace.
            await Console.Error.WriteLineAsync("Bff.DevIdp cannot start: " + ex.Message);
            return 1;
        }

        using (state)
        {
            await DevIdpApplication.Build(builder, state).RunAsync();
        }

        return 0;
    }
}
