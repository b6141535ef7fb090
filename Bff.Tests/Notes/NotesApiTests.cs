using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Bff.Tests.TestInfra;

namespace Bff.Tests.Notes;

/// <summary>The notes API on the default store (LiteDB); <see cref="NotesApiOnPostgreSqlTests"/> runs the same tests on PostgreSQL.</summary>
public class NotesApiTests : IAsyncLifetime
{
    private TokenTestRig rig = null!;
    private BrowserClient alice = null!;
    private BrowserClient bob = null!;

    public async Task InitializeAsync()
    {
        rig = await TokenTestRig.StartAsync(bffSettings: await StorageSettingsAsync());
        alice = await rig.SignInAsync("alice");
        bob = await rig.SignInAsync("bob");
    }

    public virtual async Task DisposeAsync()
    {
        alice.Dispose();
        bob.Dispose();
        await rig.DisposeAsync();
    }

    protected BrowserClient Alice => alice;

    /// <summary>Settings that choose the store; none for the default.</summary>
    protected virtual Task<IDictionary<string, string?>?> StorageSettingsAsync() => Task.FromResult<IDictionary<string, string?>?>(null);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    protected static async Task<JsonElement> CreateAsync(BrowserClient client, string title, string text = "")
    {
        var response = await client.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title, text }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Notes_can_be_created_listed_read_updated_and_deleted()
    {
        var created = await alice.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = "Shopping", text = "milk" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var note = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = note.GetProperty("id").GetString();
        Assert.Equal($"/api/notes/{id}", created.Headers.Location!.OriginalString);

        var list = await (await alice.GetApiAsync("/api/notes")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(list.EnumerateArray(), n => n.GetProperty("id").GetString() == id && n.GetProperty("title").GetString() == "Shopping");

        var updated = await alice.ApiAsync(HttpMethod.Put, $"/api/notes/{id}", JsonContent.Create(new { title = "Shopping list", text = "milk, eggs" }));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var read = await (await alice.GetApiAsync($"/api/notes/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Shopping list", read.GetProperty("title").GetString());
        Assert.Equal("milk, eggs", read.GetProperty("text").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await alice.ApiAsync(HttpMethod.Delete, $"/api/notes/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetApiAsync($"/api/notes/{id}")).StatusCode);
    }

    [Fact]
    public async Task Someone_elses_note_is_404_for_every_operation()
    {
        var note = await CreateAsync(alice, "Alice's secret");
        var id = note.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetApiAsync($"/api/notes/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.ApiAsync(HttpMethod.Put, $"/api/notes/{id}", JsonContent.Create(new { title = "mine", text = "" }))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.ApiAsync(HttpMethod.Delete, $"/api/notes/{id}")).StatusCode);
        var bobsList = await (await bob.GetApiAsync("/api/notes")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(bobsList.EnumerateArray(), n => n.GetProperty("id").GetString() == id);

        var stillThere = await (await alice.GetApiAsync($"/api/notes/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Alice's secret", stillThere.GetProperty("title").GetString());
    }

    [Theory]
    [InlineData("{\"title\":\"\",\"text\":\"x\"}", "title")]
    [InlineData("{\"title\":\"   \"}", "title")]
    [InlineData("{\"text\":\"no title\"}", "title")]
    [InlineData("null", "title")]
    public async Task Invalid_notes_are_400_validation_problems(string body, string field)
    {
        var response = await alice.ApiAsync(HttpMethod.Post, "/api/notes", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Too_long_titles_and_texts_are_400()
    {
        var longTitle = await alice.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = new string('t', 201), text = "" }));
        var longText = await alice.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = "ok", text = new string('x', 10_001) }));

        Assert.Equal(HttpStatusCode.BadRequest, longTitle.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, longText.StatusCode);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"title\": 42}")]
    [InlineData("{\"title\": [\"a\"]}")]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public async Task Malformed_json_or_wrong_types_are_400_not_500(string body)
    {
        var response = await alice.ApiAsync(HttpMethod.Post, "/api/notes", Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        var response = await alice.ApiAsync(HttpMethod.Post, "/api/notes", new StringContent("title=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    public async Task An_unknown_id_is_404(string id) =>
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetApiAsync($"/api/notes/{id}")).StatusCode);

    [Fact]
    public async Task Without_the_antiforgery_header_nothing_is_created()
    {
        var response = await alice.ApiAsync(HttpMethod.Post, "/api/notes", JsonContent.Create(new { title = "forged", text = "" }), antiforgery: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var list = await (await alice.GetApiAsync("/api/notes")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.DoesNotContain(list.EnumerateArray(), n => n.GetProperty("title").GetString() == "forged");
    }

    [Fact]
    public async Task A_bearer_client_sees_the_same_notes_as_the_users_cookie_session()
    {
        var note = await CreateAsync(alice, "Shared between cookie and bearer");
        var tokens = await rig.PasswordGrantAsync("alice");
        using var http = new HttpClient { BaseAddress = rig.Bff.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());

        var list = await http.GetAsync("/api/notes");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var notes = await list.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(notes.EnumerateArray(), n => n.GetProperty("id").GetString() == note.GetProperty("id").GetString());
    }
}
