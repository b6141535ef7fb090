using Bff.Tests.TestInfra;

namespace Bff.Tests.Proxy;

public class RemoteApiOptionsTests
{
    private static async Task<string> StartFailureAsync(Dictionary<string, string?> overrides)
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, overrides);
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        return ex is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : ex.Message;
    }

    [Theory]
    [InlineData("ftp://files.example.test/", "Bff:RemoteApis:Orders:Destination")]
    [InlineData("https://api.example.test/?x=1", "Bff:RemoteApis:Orders:Destination")]
    [InlineData("https://user:pw@api.example.test/", "Bff:RemoteApis:Orders:Destination")]
    public async Task A_bad_destination_fails_at_start_naming_the_key(string destination, string key)
    {
        var message = await StartFailureAsync(new() { ["Bff:RemoteApis:Orders:Path"] = "/api/orders", ["Bff:RemoteApis:Orders:Destination"] = destination });

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_remote_apis_on_one_path_fail_at_start()
    {
        var message = await StartFailureAsync(new()
        {
            ["Bff:RemoteApis:A:Path"] = "/api/x",
            ["Bff:RemoteApis:A:Destination"] = "https://a.example.test/",
            ["Bff:RemoteApis:B:Path"] = "/api/x/",
            ["Bff:RemoteApis:B:Destination"] = "https://b.example.test/",
        });

        Assert.Contains("Bff:RemoteApis:", message, StringComparison.Ordinal);
        Assert.Contains(":Path", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Client", "downstream-api")]
    [InlineData("None", "downstream-api")]
    [InlineData("User", "two words")]
    public async Task An_exchange_audience_without_a_users_token_to_exchange_fails_at_start(string token, string audience)
    {
        var message = await StartFailureAsync(new()
        {
            ["Bff:RemoteApis:Orders:Path"] = "/api/orders",
            ["Bff:RemoteApis:Orders:Destination"] = "https://orders.example.test/",
            ["Bff:RemoteApis:Orders:Token"] = token,
            ["Bff:RemoteApis:Orders:ExchangeAudience"] = audience,
        });

        Assert.Contains("Bff:RemoteApis:Orders:ExchangeAudience", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bff:BearerClockSkew", "01:00:00")]
    [InlineData("Bff:TokenEndpointTimeout", "00:00:00")]
    public async Task Bad_token_and_bearer_settings_fail_at_start_naming_the_key(string key, string value)
    {
        var message = await StartFailureAsync(new() { [key] = value });

        Assert.Contains(key, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_remote_api_starts()
    {
        using var folder = new BffTempFolder();
        using var host = BffServices.CreateHost(folder, new Dictionary<string, string?>
        {
            ["Bff:RemoteApis:Orders:Path"] = "/api/orders",
            ["Bff:RemoteApis:Orders:Destination"] = "https://orders.example.test/v1/",
        });

        await host.StartAsync();
        await host.StopAsync();
    }
}
