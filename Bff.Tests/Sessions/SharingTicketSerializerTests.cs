using System.Security.Claims;
using Bff.Sessions.Internal;
using Microsoft.AspNetCore.Authentication;

namespace Bff.Tests.Sessions;

/// <summary>
/// The ticket reader of the session store's memory: it reads what ASP.NET Core's serializer wrote,
/// claim for claim, but the tickets of different sessions share their claim types and issuers.
/// </summary>
public sealed class SharingTicketSerializerTests
{
    private const string Issuer = "https://idp.example/realms/bff";

    private static byte[] TicketOf(string subject, string email)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim("sub", subject, ClaimValueTypes.String, Issuer),
                new Claim("email", email, ClaimValueTypes.String, Issuer),
                new Claim(ClaimTypes.Role, "notes-user", ClaimValueTypes.String, Issuer, "https://upstream.example"),
            ],
            "oidc",
            "name",
            ClaimTypes.Role);
        identity.Claims.First().Properties["origin"] = "id_token";
        var properties = new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UnixEpoch.AddYears(60) };
        return TicketSerializer.Default.Serialize(new AuthenticationTicket(new ClaimsPrincipal(identity), properties, "Cookies"));
    }

    [Fact]
    public void Reads_every_claim_as_the_standard_serializer_does()
    {
        var bytes = TicketOf("alice", "alice@example.com");

        var expected = TicketSerializer.Default.Deserialize(bytes)!;
        var read = SharingTicketSerializer.Default.Deserialize(bytes)!;

        static object[] Shape(Claim c) => [c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer, string.Join(",", c.Properties)];
        Assert.Equal(expected.Principal.Claims.Select(Shape), read.Principal.Claims.Select(Shape));
        Assert.Equal(expected.Properties.ExpiresUtc, read.Properties.ExpiresUtc);
        Assert.Equal("name", read.Principal.Identities.Single().NameClaimType);
        Assert.All(read.Principal.Claims, c => Assert.Same(read.Principal.Identities.Single(), c.Subject));
    }

    [Fact]
    public void Tickets_of_different_sessions_share_claim_types_and_issuers_but_not_values()
    {
        var alice = SharingTicketSerializer.Default.Deserialize(TicketOf("alice", "same@example.com"))!.Principal.Claims.ToList();
        var bob = SharingTicketSerializer.Default.Deserialize(TicketOf("bob", "same@example.com"))!.Principal.Claims.ToList();

        Assert.Same(alice[0].Issuer, bob[0].Issuer);
        Assert.Same(alice[1].Type, bob[1].Type);
        Assert.Same(alice[2].OriginalIssuer, bob[2].OriginalIssuer);
        Assert.Equal(alice[1].Value, bob[1].Value);
        Assert.NotSame(alice[1].Value, bob[1].Value);
    }
}
