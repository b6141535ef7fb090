namespace Bff.DevIdp;

/// <summary>Entry point of the development identity provider.</summary>
public static class Program
{
    /// <summary>Runs the DevIdp until stopped.</summary>
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.MapGet("/", () => "Bff.DevIdp");
        await app.RunAsync();
    }
}
