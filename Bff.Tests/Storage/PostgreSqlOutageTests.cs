using System.Net;
using System.Net.Http.Json;
using Bff.Tests.TestInfra;
using Bff.Tests.TestInfra.Servers;

namespace Bff.Tests.Storage;

/// <summary>
/// PostgreSQL (users and notes) stopped under a running BFF: the notes API answers 503
/// ProblemDetails naming the database (PostgreSQL, never its connection string) and a sign-in fails with a page, never a 500; the session lives on, and everything
/// works again once the database is back.
/// </summary>
public sealed class PostgreSqlOutageTests
{
    [Fact]
    public async Task With_PostgreSQL_down_the_API_answers_503_and_the_session_survives_until_it_is_back()
    {
        await using var postgres = await PostgresServer.StartPrivateAsync();
        var database = await postgres.CreateDatabaseAsync();
        await using var rig = await TokenTestRig.StartAsync(bffSettings: new Dictionary<string, string?>
        {
            ["Bff:Storage:Users"] = "PostgreSql",
            ["Bff:Storage:MigrateOnStartup"] = "true",
            ["ConnectionStrings:Users"] = database,
        });
        using var alice = await rig.SignInAsync("alice");
        using (var created = await alice.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = "kept", text = "" })))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await postgres.StopAsync();

        using (var down = await alice.GetApiAsync("/api/notes"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("application/problem+json", down.Content.Headers.ContentType?.MediaType);
            // Named for what it is, never by its connection string.
            var problem = await down.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal("database_unavailable", problem.GetProperty("error").GetString());
            Assert.Equal("postgresql", problem.GetProperty("store").GetString());
            Assert.Contains("(PostgreSQL)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Host=", problem.GetRawText(), StringComparison.Ordinal);
        }

        using (var user = await alice.GetApiAsync("/bff/user"))
        {
            Assert.Equal(HttpStatusCode.OK, user.StatusCode);
        }

        using (var bob = new BrowserClient(rig.Bff.BaseAddress))
        {
            using var signIn = await bob.SignInAsync(rig.Bff.BaseAddress, "bob", "bob-password", "/app");
            Assert.NotEqual(HttpStatusCode.InternalServerError, signIn.StatusCode);
            Assert.NotEqual("/app", signIn.RequestMessage!.RequestUri!.AbsolutePath);
        }

        await postgres.StartAsync();

        using var back = await alice.GetApiAsync("/api/notes");
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Contains("kept", await back.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
