using System.Globalization;
using System.Text.Json.Nodes;
using Bff.DevIdp.Realms;
using Bff.DevIdp.Sessions;

namespace Bff.DevIdp.Mappers;

/// <summary>What claims are built for: a user (or service account) of a client, in a session, with granted scopes.</summary>
internal sealed record ClaimsRequest(DevIdpRealm Realm, DevIdpClient Client, DevIdpUser User, SsoSession? Session, IReadOnlyCollection<string> Scopes);

/// <summary>The mapped claims of one target, and the audiences the audience mappers added.</summary>
internal sealed record MappedClaims(JsonObject Claims, IReadOnlyList<string> Audiences);

/// <summary>
/// Runs the protocol mappers of a client's scopes (default ones always, optional ones when granted) and of the
/// client itself, the way Keycloak does for each token: nothing here knows a particular realm.
/// </summary>
internal static class TokenClaimsBuilder
{
    // Claims the token issuer owns; a mapper cannot overwrite them (Keycloak keeps them in typed fields).
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "iss", "exp", "iat", "nbf", "jti", "aud", "typ", "azp", "nonce", "scope", "at_hash", "c_hash", "sid",
    };

    /// <summary>The client scopes in force for <paramref name="scopes"/>: all default scopes, requested optional ones.</summary>
    public static IEnumerable<ClientScope> ActiveScopes(DevIdpClient client, IReadOnlyCollection<string> scopes) =>
        client.DefaultClientScopes.Concat(client.OptionalClientScopes.Where(s => scopes.Contains(s.Name)));

    /// <summary>The mappers in force, scope mappers first and the client's own (dedicated) mappers last.</summary>
    public static IReadOnlyList<ProtocolMapperDefinition> ActiveMappers(DevIdpClient client, IReadOnlyCollection<string> scopes) =>
        [.. ActiveScopes(client, scopes).SelectMany(s => s.Mappers), .. client.ProtocolMappers];

    public static MappedClaims Build(ClaimsRequest request, ClaimTarget target)
    {
        var mappers = ActiveMappers(request.Client, request.Scopes);
        var roles = EffectiveRoles.For(request.Realm, request.User, mappers);
        var lightweight = target == ClaimTarget.AccessToken && request.Client.LightweightAccessToken;
        var claims = new JsonObject();
        var audiences = new List<string>();
        foreach (var mapper in mappers.Where(m => m.IncludesIn(target, lightweight)))
        {
            Apply(request, mapper, roles, claims, audiences);
        }

        // The ID token and userinfo always name their subject; access tokens only through the sub mapper.
        if (target is ClaimTarget.IdToken or ClaimTarget.UserInfo)
        {
            claims["sub"] = request.User.Id;
        }

        return new MappedClaims(claims, audiences.Distinct(StringComparer.Ordinal).ToList());
    }

    private static void Apply(ClaimsRequest request, ProtocolMapperDefinition mapper, EffectiveRoles roles, JsonObject claims, List<string> audiences)
    {
        var (client, user) = (request.Client, request.User);
        switch (mapper.Type)
        {
            case MapperTypes.UserProperty:
                Write(claims, mapper, ClaimValues.Map(mapper, UserValues.Property(user, mapper.Get("user.attribute"))));
                break;
            case MapperTypes.UserAttribute:
                Write(claims, mapper, ClaimValues.Map(mapper, UserValues.Attribute(request.Realm, user, mapper.Get("user.attribute"), mapper.Is("aggregate.attrs"))));
                break;
            case MapperTypes.FullName:
                if (user.FullName is { } fullName)
                {
                    claims["name"] = fullName;
                }

                break;
            case MapperTypes.RealmRoles:
                WriteRoles(claims, mapper, mapper.Get("claim.name"), roles.Realm, mapper.Get("usermodel.realmRoleMapping.rolePrefix"));
                break;
            case MapperTypes.ClientRoles:
                foreach (var (roleClient, clientRoles) in roles.Clients)
                {
                    if (mapper.Get("usermodel.clientRoleMapping.clientId") is { } only && only != roleClient)
                    {
                        continue;
                    }

                    var claimName = mapper.Get("claim.name")?.Replace("${client_id}", ClaimPath.Escape(roleClient), StringComparison.Ordinal);
                    WriteRoles(claims, mapper, claimName, clientRoles, mapper.Get("usermodel.clientRoleMapping.rolePrefix"));
                }

                break;
            case MapperTypes.GroupMembership:
                var groups = mapper.Is("full.path") ? user.Groups : user.Groups.Select(g => g[(g.LastIndexOf('/') + 1)..]).ToList();
                if (mapper.Get("claim.name") is { } groupClaim)
                {
                    ClaimPath.Set(claims, groupClaim, new JsonArray([.. groups.Select(g => JsonValue.Create(g))]));
                }

                break;
            case MapperTypes.Audience:
                if (mapper.Get("included.client.audience") is { } audienceClient)
                {
                    audiences.Add(audienceClient);
                }

                if (mapper.Get("included.custom.audience") is { } customAudience)
                {
                    audiences.Add(customAudience);
                }

                break;
            case MapperTypes.AudienceResolve:
                audiences.AddRange(roles.Clients.Keys.Where(c => c != client.ClientId));
                break;
            case MapperTypes.HardcodedClaim:
                Write(claims, mapper, ClaimValues.Map(mapper, mapper.Get("claim.value") is { } hardcoded ? JsonValue.Create(hardcoded) : null));
                break;
            case MapperTypes.AllowedOrigins:
                if (client.WebOrigins.Count > 0)
                {
                    claims["allowed-origins"] = new JsonArray([.. client.WebOrigins.Select(o => JsonValue.Create(o))]);
                }

                break;
            case MapperTypes.Acr:
                // The level this SSO session reached, named through the acr.loa.map (Keycloak's acr mapper).
                claims["acr"] = request.Realm.HasStepUpFlow && request.Session is { } acrSession
                    ? Login.AcrLevels.AcrFor(request.Realm, request.Client, acrSession.Level)
                    : "1";
                break;
            case MapperTypes.Sub:
                claims["sub"] = user.Id;
                break;
            case MapperTypes.UserSessionNote:
                Write(claims, mapper, ClaimValues.Map(mapper, SessionNote(request, mapper.Get("user.session.note"))));
                break;
            case MapperTypes.Address:
                if (UserValues.Address(user, mapper) is { } address)
                {
                    claims["address"] = address;
                }

                break;
        }
    }

    private static JsonValue? SessionNote(ClaimsRequest request, string? note) => note switch
    {
        "AUTH_TIME" when request.Session is { } session => JsonValue.Create(session.Created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),

        // Keycloak writes these notes only in a service account's (client_credentials) session.
        "client_id" when request.User.ServiceAccountClientId is { } clientId => JsonValue.Create(clientId),
        "clientHost" or "clientAddress" when request.User.ServiceAccountClientId is not null => JsonValue.Create("127.0.0.1"),
        _ => null,
    };

    private static void WriteRoles(JsonObject claims, ProtocolMapperDefinition mapper, string? claimName, IReadOnlyList<string> roles, string? prefix)
    {
        var values = roles.Select(r => (JsonNode)JsonValue.Create(prefix + r)).ToList();
        if (claimName is not null && ClaimValues.Map(mapper, values) is { } value && !Reserved.Contains(ClaimPath.Split(claimName)[0]))
        {
            ClaimPath.Set(claims, claimName, value, appendToArray: true);
        }
    }

    private static void Write(JsonObject claims, ProtocolMapperDefinition mapper, JsonNode? value)
    {
        if (value is not null && mapper.Get("claim.name") is { } claimName && !Reserved.Contains(ClaimPath.Split(claimName)[0]))
        {
            ClaimPath.Set(claims, claimName, value);
        }
    }
}
