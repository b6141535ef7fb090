using System.Net;
using Bff.Tests.TestInfra;
using Bff.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Tests.Login;

/// <summary>
/// The BFF signs in by the browser flow through each realm of the Keycloak exports, with the realm's own
/// confidential client as Keycloak registers it, and maps the user from what the tokens carry.
/// </summary>
public sealed class ExportedRealmLoginTests(ExportedRealmsFixture idp) : IClassFixture<ExportedRealmsFixture>, IDisposable
{
    private readonly BffTempFolder _folder = new();

    public static TheoryData<string, string> RealmUsers() => new()
    {
        { "acme-portal", "ada" }, // argon2id; acme-portal: redirectUris ["/*"] under its rootUrl, PAR and PKCE S256 required
        { "acme-portal", "sam" }, // pbkdf2-sha512
        { "globex-web", "gina" }, // argon2id; globex-web: redirectUris ["*"]
        { "globex-web", "paul" }, // pbkdf2-sha256, 600,000 iterations
    };

    [Theory]
    [MemberData(nameof(RealmUsers))]
    public async Task The_BFF_signs_in_through_the_exported_realm_and_maps_the_user(string clientId, string username)
    {
        var client = clientId == ExportedRealms.AcmePortal.ClientId ? ExportedRealms.AcmePortal : ExportedRealms.GlobexWeb;
        var user = ExportedRealms.All.Single(u => u.Username == username);
        await using var bff = await StartBffAsync(client);
        using var browser = new BrowserClient();

        var page = await browser.SignInAsync(bff.BaseAddress, user.Username, user.Password, "/Profile");

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(new Uri(bff.BaseAddress, "/Profile"), page.RequestMessage!.RequestUri);
        Assert.Contains($"<td id=\"username\">{user.Username}</td>", html, StringComparison.Ordinal);

        var mapped = await bff.Services.GetRequiredService<IUserStore>()
            .FindBySubjectAsync(idp.Server.Authority(client.Realm).AbsoluteUri.TrimEnd('/'), user.Id);
        Assert.NotNull(mapped);
        Assert.Equal((user.Username, user.FirstName, user.LastName, user.Email), (mapped.UserName, mapped.FirstName, mapped.LastName, mapped.Email));
    }

    [Fact]
    public async Task Acme_portal_roles_and_groups_reach_the_local_user()
    {
        await using var bff = await StartBffAsync(ExportedRealms.AcmePortal);
        using var browser = new BrowserClient();

        await browser.SignInAsync(bff.BaseAddress, ExportedRealms.Ada.Username, ExportedRealms.Ada.Password);

        var mapped = await bff.Services.GetRequiredService<IUserStore>()
            .FindBySubjectAsync(idp.Server.Authority("acme").AbsoluteUri.TrimEnd('/'), ExportedRealms.Ada.Id);
        Assert.NotNull(mapped);
        Assert.Contains("manager", mapped.Roles);
        Assert.Contains("approver", mapped.Roles);
        Assert.Equal(["/engineering/platform"], mapped.Groups);
    }

    [Fact]
    public async Task A_disabled_user_of_an_export_does_not_get_a_session()
    {
        await using var bff = await StartBffAsync(ExportedRealms.AcmePortal);
        using var browser = new BrowserClient();

        var page = await browser.SignInAsync(bff.BaseAddress, ExportedRealms.Dan.Username, ExportedRealms.Dan.Password);

        Assert.Contains("Account is disabled", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(browser.CookiesFor(bff.BaseAddress)["__Host-bff"]);
        Assert.Empty(await bff.Services.GetRequiredService<IUserStore>().ListAsync());
    }

    public void Dispose() => _folder.Dispose();

    private async Task<BffHost> StartBffAsync(ExportedClient client)
    {
        var settings = BffHost.Settings(_folder, idp.Server.Authority(client.Realm));
        settings["Oidc:ClientId"] = client.ClientId;
        settings["Oidc:ClientSecret"] = client.Secret;
        var bff = await BffHost.StartAsync(settings);
        if (client == ExportedRealms.AcmePortal)
        {
            // acme-portal registers "/*" relative to its rootUrl; the BFF under test listens on a random port, so
            // its root is where the rootUrl points (as a deployment would set it).
            idp.Server.ConfigureClient(client.Realm, client.ClientId, c => c.RootUrl = bff.BaseAddress.GetLeftPart(UriPartial.Authority));
        }

        return bff;
    }
}
