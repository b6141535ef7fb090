using Bff.Users;

namespace Bff.Tests.Users;

/// <summary>
/// What every <see cref="IUserStore"/> must do, run unchanged on each one (LiteDB, PostgreSQL):
/// the mapper and the admin page rely on exactly this.
/// </summary>
public abstract class UserStoreContract : IAsyncLifetime
{
    protected const string Issuer = "https://idp.example.test/realms/bff";

    protected IUserStore Store { get; private set; } = null!;

    /// <summary>A store on empty storage of its own.</summary>
    protected abstract Task<IUserStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static BffUser NewUser(string userName, string? subject = null, string? email = null) => new()
    {
        Issuer = subject is null ? null : Issuer,
        Subject = subject,
        UserName = userName,
        Email = email,
        EmailVerified = email is not null,
        FirstName = "First",
        LastName = "Last",
        Roles = ["user", "admin"],
        Groups = ["/staff"],
        Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
        LastLogin = new DateTimeOffset(2026, 2, 3, 4, 5, 6, 789, TimeSpan.Zero),
    };

    [Fact]
    public async Task A_saved_user_reads_back_by_id_account_email_and_user_name_case_insensitively()
    {
        var saved = await Store.SaveAsync(NewUser("Alice", "sub-alice", "Alice@Example.COM"));

        Assert.NotEqual(Guid.Empty, saved.Id);
        Assert.Equivalent(saved, await Store.GetAsync(saved.Id), strict: true);
        Assert.Equivalent(saved, await Store.FindBySubjectAsync(Issuer, "sub-alice"), strict: true);
        Assert.Equal(saved.Id, Assert.Single(await Store.FindByEmailAsync("  alice@example.com ")).Id);
        Assert.Equal(saved.Id, Assert.Single(await Store.FindByUserNameAsync("ALICE")).Id);
        Assert.Equal(["user", "admin"], saved.Roles);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), saved.Created);
        Assert.Null(await Store.FindBySubjectAsync("https://other.example.test", "sub-alice"));
        Assert.Null(await Store.GetAsync(Guid.NewGuid()));
    }

    [Fact]
    public async Task Saving_a_user_again_changes_it_in_place()
    {
        var saved = await Store.SaveAsync(NewUser("bob", "sub-bob", "bob@example.com"));

        await Store.SaveAsync(saved with { UserName = "bobby", Email = null, Roles = [] });

        var read = Assert.Single(await Store.ListAsync());
        Assert.Equal((saved.Id, "bobby", (string?)null), (read.Id, read.UserName, read.Email));
        Assert.Empty(read.Roles);
        Assert.Empty(await Store.FindByEmailAsync("bob@example.com"));
    }

    [Fact]
    public async Task Imported_users_without_an_account_may_share_an_email_and_are_listed_by_user_name()
    {
        await Store.SaveAsync(NewUser("zoe", email: "shared@example.com"));
        await Store.SaveAsync(NewUser("Adam", email: "SHARED@example.com"));
        await Store.SaveAsync(NewUser("mia", "sub-mia"));

        Assert.Equal(2, (await Store.FindByEmailAsync("shared@example.com")).Count);
        Assert.Equal(["Adam", "mia", "zoe"], (await Store.ListAsync()).Select(u => u.UserName));
    }
}

/// <summary>The contract on the default store, a LiteDB file.</summary>
public sealed class LiteDbUserStoreContractTests : UserStoreContract, IDisposable
{
    private readonly TestInfra.BffTempFolder _folder = new();
    private Microsoft.Extensions.Hosting.IHost? _host;

    protected override Task<IUserStore> CreateStoreAsync()
    {
        _host = TestInfra.BffServices.CreateHost(_folder);
        return Task.FromResult(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IUserStore>(_host.Services));
    }

    public void Dispose()
    {
        _host?.Dispose();
        _folder.Dispose();
    }
}
