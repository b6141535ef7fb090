using Bff.Tests.TestInfra;
using Bff.Users;
using Bff.Users.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Bff.Tests.Users;

public sealed class DefaultUserMapperTests : IDisposable
{
    private const string Issuer = "https://idp/realms/bff";
    private readonly BffTempFolder _folder = new();
    private readonly BffTestClock _clock = new();
    private IHost _host;

    public DefaultUserMapperTests() => _host = Create("None");

    private IUserMapper Mapper => _host.Services.GetRequiredService<IUserMapper>();

    private IUserStore Store => _host.Services.GetRequiredService<IUserStore>();

    private IHost Create(string linkMode, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Bff:Users:LinkExistingBy"] = linkMode };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return BffServices.CreateHost(_folder, values, configure: services => services.TryAddSingleton<TimeProvider>(_clock));
    }

    private void UseLinkMode(string linkMode, params (string Key, string Value)[] settings)
    {
        _host.Dispose();
        _host = Create(linkMode, settings);
    }

    public void Dispose()
    {
        _host.Dispose();
        _folder.Dispose();
    }

    private static UserLoginInfo Alice(string email = "alice@example.com", bool verified = true, string userName = "alice") =>
        new(Issuer, "alice-sub", userName, "Alice", "Anderson", email, verified, ["user", "admin"], ["/staff"]);

    private Task<BffUser> ImportAsync(string userName, string? email) =>
        Store.SaveAsync(new BffUser { UserName = userName, Email = email, Created = _clock.GetUtcNow().AddYears(-1) });

    [Fact]
    public async Task First_login_creates_a_user_with_every_mapped_field()
    {
        var result = await Mapper.MapAsync(Alice());

        Assert.True(result.Succeeded);
        var user = await Store.FindBySubjectAsync(Issuer, "alice-sub");
        Assert.Equal(result.User!.Id, user?.Id);
        Assert.NotEqual(Guid.Empty, user!.Id);
        Assert.Equal(("alice", "Alice", "Anderson", "alice@example.com", true), (user.UserName, user.FirstName, user.LastName, user.Email, user.EmailVerified));
        Assert.Equal(["user", "admin"], user.Roles);
        Assert.Equal(["/staff"], user.Groups);
        Assert.Equal(_clock.GetUtcNow(), user.Created);
        Assert.Equal(_clock.GetUtcNow(), user.LastLogin);
    }

    [Fact]
    public async Task A_second_login_updates_the_same_user()
    {
        var first = (await Mapper.MapAsync(Alice())).User!;
        _clock.Advance(TimeSpan.FromDays(1));

        var second = (await Mapper.MapAsync(Alice(email: "alice@new.example") with { Roles = ["user"], LastName = "Smith" })).User!;

        Assert.Equal(first.Id, second.Id);
        Assert.Single(await Store.ListAsync());
        var stored = await Store.GetAsync(first.Id);
        Assert.Equal(("alice@new.example", "Smith"), (stored!.Email, stored.LastName));
        Assert.Equal(["user"], stored.Roles);
        Assert.Equal(first.Created, stored.Created);
        Assert.Equal(_clock.GetUtcNow(), stored.LastLogin);
    }

    [Fact]
    public async Task Without_linking_an_imported_user_with_the_same_email_is_left_alone()
    {
        var imported = await ImportAsync("alice.old", "ALICE@example.com");

        var mapped = (await Mapper.MapAsync(Alice())).User!;

        Assert.NotEqual(imported.Id, mapped.Id);
        Assert.Null((await Store.GetAsync(imported.Id))!.Subject);
    }

    [Fact]
    public async Task Linking_by_verified_email_ignores_case_and_keeps_the_imported_id()
    {
        UseLinkMode("Email");
        var imported = await ImportAsync("alice.old", "ALICE@Example.com");

        var mapped = (await Mapper.MapAsync(Alice())).User!;

        Assert.Equal(imported.Id, mapped.Id);
        Assert.Equal(("alice-sub", Issuer, "alice", imported.Created), (mapped.Subject, mapped.Issuer, mapped.UserName, mapped.Created));
        Assert.Single(await Store.ListAsync());
    }

    [Fact]
    public async Task An_unverified_email_never_links()
    {
        UseLinkMode("EmailThenUsername");
        var imported = await ImportAsync("dave.old", "dave@example.com");

        var mapped = (await Mapper.MapAsync(new UserLoginInfo(Issuer, "dave-sub", "dave", "Dave", "Davis", "dave@example.com", false, ["user"], []))).User!;

        Assert.NotEqual(imported.Id, mapped.Id);
        Assert.Null((await Store.GetAsync(imported.Id))!.Subject);
    }

    [Fact]
    public async Task Email_linking_alone_does_not_fall_back_to_the_user_name()
    {
        UseLinkMode("Email");
        var imported = await ImportAsync("alice", "someone-else@example.com");

        Assert.NotEqual(imported.Id, (await Mapper.MapAsync(Alice())).User!.Id);
    }

    [Fact]
    public async Task EmailThenUsername_does_not_link_on_the_user_name_alone()
    {
        // Where self-registration is on, anyone can register the user name of an imported user.
        UseLinkMode("EmailThenUsername");
        var imported = await ImportAsync("Alice", "old-address@example.com");

        var mapped = (await Mapper.MapAsync(Alice())).User!;

        Assert.NotEqual(imported.Id, mapped.Id);
        Assert.Null((await Store.GetAsync(imported.Id))!.Subject);
    }

    [Fact]
    public async Task EmailThenUsername_links_on_the_user_name_during_an_administrator_s_migration_window_only()
    {
        UseLinkMode("EmailThenUsername", ("Bff:Users:UserNameLinkingUntil", _clock.GetUtcNow().AddHours(1).ToString("O")));
        var imported = await ImportAsync("Alice", "old-address@example.com");
        var importedBob = await ImportAsync("bob", "robert@old.example");

        Assert.Equal(imported.Id, (await Mapper.MapAsync(Alice())).User!.Id);

        _clock.Advance(TimeSpan.FromHours(2));
        var bob = (await Mapper.MapAsync(new UserLoginInfo(Issuer, "bob-sub", "bob", null, null, "bob@example.com", true, [], []))).User!;
        Assert.NotEqual(importedBob.Id, bob.Id);
    }

    [Theory]
    [InlineData("\u017Fam", "sam")]          // LATIN SMALL LETTER LONG S: ToUpperInvariant makes it S
    [InlineData("s\u0430m", "sam")]          // CYRILLIC SMALL LETTER A
    [InlineData("\u212Aate", "kate")]        // KELVIN SIGN
    public async Task Non_ASCII_look_alike_user_names_are_kept_apart(string imported, string login)
    {
        UseLinkMode("EmailThenUsername", ("Bff:Users:UserNameLinkingUntil", _clock.GetUtcNow().AddHours(1).ToString("O")));
        var lookAlike = await ImportAsync(imported, null);

        var mapped = (await Mapper.MapAsync(Alice(userName: login))).User!;

        Assert.NotEqual(lookAlike.Id, mapped.Id);
        Assert.Null((await Store.GetAsync(lookAlike.Id))!.Subject);
        Assert.Equal([mapped.Id], (await Store.FindByUserNameAsync(login.ToUpperInvariant())).Select(u => u.Id));
    }

    [Fact]
    public async Task A_look_alike_email_does_not_link_and_ASCII_case_still_folds()
    {
        UseLinkMode("Email");
        var imported = await ImportAsync("alice.old", "ALICE@Example.com");

        // LATIN SMALL LETTER DOTLESS I: ToUpperInvariant makes it I.
        var lookAlike = (await Mapper.MapAsync(Alice(email: "al\u0131ce@example.com") with { Subject = "other-sub" })).User!;
        var alice = (await Mapper.MapAsync(Alice(email: "alice@EXAMPLE.com"))).User!;

        Assert.NotEqual(imported.Id, lookAlike.Id);
        Assert.Equal(imported.Id, alice.Id);
    }

    [Fact]
    public async Task Two_matching_imported_users_refuse_the_login()
    {
        UseLinkMode("EmailThenUsername");
        await ImportAsync("a1", "alice@example.com");
        await ImportAsync("a2", "Alice@Example.com");

        var result = await Mapper.MapAsync(Alice());

        Assert.False(result.Succeeded);
        Assert.Equal(UserMappingErrors.AmbiguousLink, result.Error);
        Assert.Null(await Store.FindBySubjectAsync(Issuer, "alice-sub"));
    }

    [Fact]
    public async Task A_user_already_linked_to_another_account_is_never_taken_over()
    {
        UseLinkMode("EmailThenUsername");
        var other = (await Mapper.MapAsync(new UserLoginInfo(Issuer, "other-sub", "alice", null, null, "alice@example.com", true, [], []))).User!;

        var mapped = (await Mapper.MapAsync(Alice())).User!;

        Assert.NotEqual(other.Id, mapped.Id);
        Assert.Equal("other-sub", (await Store.GetAsync(other.Id))!.Subject);
    }

    [Fact]
    public async Task Concurrent_first_logins_create_one_user()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Mapper.MapAsync(Alice()))));

        Assert.Single(await Store.ListAsync());
    }
}
