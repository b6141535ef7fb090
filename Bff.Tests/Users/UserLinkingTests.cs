using System.Net;
using Bff.Sessions;
using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Users;

/// <summary>
/// Linking users imported before Keycloak (no issuer, no sub) on their first login, through the
/// real login flow, with <c>Bff:Users:LinkExistingBy</c> = <c>EmailThenUsername</c>.
/// </summary>
public sealed class UserLinkingTests(BffLoginFixture fixture) : IClassFixture<BffLoginFixture>, IAsyncLifetime
{
    private readonly BffTempFolder _folder = new();
    private readonly BrowserClient _browser = new();
    private BffHost _bff = null!;

    private IUserStore Users => _bff.Services.GetRequiredService<IUserStore>();

    public async Task InitializeAsync() =>
        _bff = await fixture.StartBffAsync(_folder, new Dictionary<string, string?> { ["Bff:Users:LinkExistingBy"] = "EmailThenUsername" });

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _bff.DisposeAsync();
        _folder.Dispose();
    }

    private Task<BffUser> ImportAsync(string userName, string email) =>
        Users.SaveAsync(new BffUser { UserName = userName, Email = email, FirstName = "Imported", Created = DateTimeOffset.UtcNow.AddYears(-2) });

    [Fact]
    public async Task A_verified_email_links_the_imported_user_case_insensitively()
    {
        var imported = await ImportAsync("alice.from.django", "Alice@Example.COM");

        var page = await _browser.SignInAsync(_bff.BaseAddress, "alice", "alice-password");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var linked = await Users.GetAsync(imported.Id);
        Assert.Equal(TestUsers.Alice.Id, linked?.Subject);
        Assert.Equal("alice", linked?.UserName);
        Assert.Equal("Alice", linked?.FirstName);
        Assert.Equal(imported.Created, linked?.Created);
        Assert.Single(await Users.ListAsync());
        Assert.Contains(imported.Id.ToString("D"), await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unverified_email_does_not_link()
    {
        var imported = await ImportAsync("dave.from.django", "dave@example.com");

        var page = await _browser.SignInAsync(_bff.BaseAddress, "dave", "dave-password");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Null((await Users.GetAsync(imported.Id))?.Subject);
        var dave = await Users.FindBySubjectAsync(fixture.Authority.AbsoluteUri.TrimEnd('/'), TestUsers.Dave.Id);
        Assert.NotNull(dave);
        Assert.NotEqual(imported.Id, dave.Id);
        Assert.False(dave.EmailVerified);
    }

    [Fact]
    public async Task The_user_name_alone_does_not_link()
    {
        // Whoever registers "bob" at a provider with self-registration must not get the imported bob's data.
        var imported = await ImportAsync("bob", "robert@old-company.example");

        await _browser.SignInAsync(_bff.BaseAddress, "bob", "bob-password");

        Assert.Null((await Users.GetAsync(imported.Id))?.Subject);
        var bob = await Users.FindBySubjectAsync(fixture.Authority.AbsoluteUri.TrimEnd('/'), TestUsers.Bob.Id);
        Assert.NotNull(bob);
        Assert.NotEqual(imported.Id, bob.Id);
    }

    [Fact]
    public async Task Two_candidates_refuse_the_login_with_a_clear_page_and_no_session()
    {
        await ImportAsync("bob.one", "bob@example.com");
        await ImportAsync("bob.two", "BOB@example.com");

        var page = await _browser.SignInAsync(_bff.BaseAddress, "bob", "bob-password");

        Assert.Equal("/Error", page.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains("More than one existing account matches", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(_browser.CookiesFor(_bff.BaseAddress)["__Host-bff"]);
        Assert.Empty(await _bff.Services.GetRequiredService<IServerSessionStore>().FindAsync(new SessionFilter(Subject: TestUsers.Bob.Id)));
        Assert.Equal(2, (await Users.ListAsync()).Count);
    }
}
