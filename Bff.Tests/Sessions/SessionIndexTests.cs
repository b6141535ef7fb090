using System.Security.Cryptography;
using System.Text;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.WebUtilities;

namespace Bff.Tests.Sessions;

public class SessionIndexTests
{
    // What storages have been given since sessions are known by hashes: changing it would orphan every
    // stored session (no cookie would find its record any more).
    private static string Expected(string kind, string value) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes("bff-session-index:" + kind + ":" + value)));

    public static TheoryData<string> Values() => new()
    {
        "Yk3t2n6K7o0Jq1lZx9cVb8nM4aS5dF6gH7jK8lP9oI0",
        "f9a1c2d3-0000-4b5c-8d7e-123456789abc",
        "jürgen ß 😀 ∑",
        new string('x', 3000),
        "δ" + new string('é', 400),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void The_hashes_are_those_stored_sessions_were_filed_under(string value)
    {
        Assert.Equal(Expected("key", value), SessionIndex.Key(value));
        Assert.Equal(Expected("sub", value), SessionIndex.Subject(value));
        Assert.Equal(Expected("sid", value), SessionIndex.SessionId(value));
    }

    [Fact]
    public void Remembering_the_last_key_never_answers_for_another_key()
    {
        var first = "first-" + Guid.NewGuid().ToString("N");
        var second = "second-" + Guid.NewGuid().ToString("N");
        var firstAgain = new string(first.AsSpan());

        Assert.Equal(Expected("key", first), SessionIndex.Key(first));
        Assert.Equal(Expected("key", second), SessionIndex.Key(second));
        Assert.Equal(Expected("key", first), SessionIndex.Key(firstAgain));
        Assert.Equal(Expected("key", first), SessionIndex.Key(first));
        Assert.Null(SessionIndex.Subject(null));
    }

    [Fact]
    public void The_same_key_asked_again_costs_no_allocation_and_a_new_one_only_its_hash_string()
    {
        var key = "key-" + Guid.NewGuid().ToString("N");
        var other = "other-" + Guid.NewGuid().ToString("N");
        SessionIndex.Key(other);
        SessionIndex.Key(key);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            SessionIndex.Key(key);
        }

        var again = GC.GetAllocatedBytesForCurrentThread() - before;

        before = GC.GetAllocatedBytesForCurrentThread();
        SessionIndex.Key(other);
        var anew = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, again);

        // The 43-character Base64url string (about 110 bytes) and nothing else: no concatenated input,
        // no byte arrays.
        Assert.InRange(anew, 1, 160);
    }
}
