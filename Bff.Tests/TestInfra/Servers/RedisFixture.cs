namespace Bff.Tests.TestInfra.Servers;

/// <summary>
/// A class fixture: the shared Redis with a key prefix of its own for one test class.
/// <c>IClassFixture&lt;RedisFixture&gt;</c>, then <see cref="Endpoint"/> and <see cref="KeyPrefix"/>.
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public RedisServer Server { get; private set; } = null!;

    /// <summary>host:port (<c>ConnectionStrings:Redis</c>).</summary>
    public string Endpoint => Server.Endpoint;

    /// <summary>A prefix no other test class uses.</summary>
    public string KeyPrefix { get; } = RedisServer.NewKeyPrefix();

    public async Task InitializeAsync() => Server = await RedisServer.SharedAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
