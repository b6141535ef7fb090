using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bff.Login;
using Bff.Logout;
using Bff.Sessions;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bff.Tests.Production;

/// <summary>
/// The environment compose.yml gives the BFF container, bound by the app's real <c>AddBff</c>: every
/// variable must land in an option (a misspelt name is silently ignored by ASP.NET configuration,
/// which is exactly the bug this catches), and docs/operations.md must list exactly the keys the app binds.
/// </summary>
public sealed partial class ConfigurationBindingTests
{
    // Bound by hand in AddBff rather than from an options section (see BffServiceCollectionExtensions).
    private static readonly string[] StorageKeys = ["ConnectionStrings:Bff", "ConnectionStrings:Redis", "ConnectionStrings:Users"];

    [Fact]
    public void Compose_s_settings_land_in_the_app_s_options()
    {
        var env = ComposeFile.Load().Service("bff").Environment;
        using var host = Build(env);

        var oidc = host.Services.GetRequiredService<IOptions<BffOidcOptions>>().Value;
        var bff = host.Services.GetRequiredService<IOptions<BffOptions>>().Value;
        var storage = host.Services.GetRequiredService<IOptions<BffStorageOptions>>().Value;
        var keys = host.Services.GetRequiredService<IOptions<Bff.Security.BffDataProtectionOptions>>().Value;
        var handler = host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(BffAuthenticationDefaults.OpenIdConnectScheme);

        Assert.Equal(env["Oidc__Authority"], oidc.Authority);
        Assert.Equal(env["Oidc__Authority"], handler.Authority);
        Assert.Equal(env["Oidc__MetadataAddress"], handler.MetadataAddress);
        Assert.Equal(env["Oidc__ClientId"], handler.ClientId);
        Assert.Equal(env["Oidc__ClientSecret"], handler.ClientSecret);
        Assert.False(handler.RequireHttpsMetadata);
        Assert.Equal(Enum.Parse<BffLogoutMode>(env["Bff__LogoutMode"]), bff.LogoutMode);
        Assert.Equal(env["ConnectionStrings__Bff"], storage.ConnectionString);
        Assert.Equal(env["DataProtection__KeysPath"], keys.KeysPath);
    }

    [Fact]
    public void The_realm_registers_the_callback_paths_the_app_uses()
    {
        var env = ComposeFile.Load().Service("bff").Environment;
        using var host = Build(env);
        var handler = host.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(BffAuthenticationDefaults.OpenIdConnectScheme);
        var (hostPort, _) = Assert.Single(ComposeFile.Load().Service("bff").Ports);
        using var realm = JsonDocument.Parse(RepositoryFiles.Read("realm/bff-realm.json"));
        var client = realm.RootElement.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == handler.ClientId);

        var redirects = client.GetProperty("redirectUris").EnumerateArray().Select(e => e.GetString());
        var postLogout = client.GetProperty("attributes").GetProperty("post.logout.redirect.uris").GetString()!.Split("##");

        Assert.Contains($"http://localhost:{hostPort}{handler.CallbackPath}", redirects);
        Assert.Contains($"http://localhost:{hostPort}{handler.SignedOutCallbackPath}", postLogout);
    }

    [Fact]
    public void Every_variable_compose_sets_changes_what_the_app_binds()
    {
        var env = ComposeFile.Load().Service("bff").Environment;
        var baseline = Snapshot(env);

        // ASPNETCORE_* / DOTNET_* are read by the host itself, not by AddBff.
        foreach (var name in env.Keys.Where(k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && !k.StartsWith("DOTNET_", StringComparison.Ordinal)))
        {
            var changed = new Dictionary<string, string>(env) { [name] = OtherValue(env[name]) };
            Assert.True(baseline != Snapshot(changed), $"compose.yml sets {name}, but no option of the app changes with it: a misspelt or unbound key.");
        }
    }

    [Fact]
    public void The_operator_doc_lists_exactly_the_keys_the_app_binds()
    {
        var bound = BoundKeys().ToHashSet(StringComparer.Ordinal);
        var doc = RepositoryFiles.Read("docs/operations.md");
        var rows = TableRow().Matches(doc).Select(m => (Key: m.Groups["key"].Value, Env: m.Groups["env"].Value)).ToList();
        var documented = rows.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(bound.Except(documented));
        Assert.Empty(documented.Except(bound));
        foreach (var (key, variable) in rows)
        {
            Assert.Equal(key.Replace(":", "__", StringComparison.Ordinal).Replace("<n>", "0", StringComparison.Ordinal), variable.Split(' ')[0].Trim('`'));
        }
    }

    [Fact]
    public void The_storage_keys_named_in_the_doc_are_the_ones_AddBff_reads()
    {
        using var host = Build(new Dictionary<string, string>
        {
            ["ConnectionStrings__Bff"] = "Filename=/elsewhere/x.db",
            ["DataProtection__KeysPath"] = "/elsewhere/keys",
            ["DataProtection__ApplicationName"] = "Other",
        });

        var storage = host.Services.GetRequiredService<IOptions<BffStorageOptions>>().Value;
        var keys = host.Services.GetRequiredService<IOptions<Bff.Security.BffDataProtectionOptions>>().Value;

        Assert.Equal(("Filename=/elsewhere/x.db", "/elsewhere/keys", "Other"), (storage.ConnectionString, keys.KeysPath, keys.ApplicationName));
    }

    [Fact]
    public void Every_key_is_bound_by_exactly_one_options_class()
    {
        var owners = BoundOptions
            .SelectMany(bound => Keys(bound.Type, bound.Section).Distinct(StringComparer.Ordinal).Select(key => (Key: key, bound.Type.Name)))
            .GroupBy(owner => owner.Key, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"{group.Key}: {string.Join(", ", group.Select(owner => owner.Name))}");

        Assert.Empty(owners);
    }

    [Fact]
    public void The_bound_options_classes_listed_here_are_all_that_the_app_binds()
    {
        // Bind(section) registers a change-token source per options class: the classes bound from configuration.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Services.AddBff(builder.Configuration).AddDataProtection();
        builder.Services.AddBffUserStorage(builder.Configuration);
        builder.Services.AddBffHealthChecks(builder.Configuration);
        var bound = builder.Services
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Assembly != typeof(WebApplication).Assembly && t.Namespace?.StartsWith("Bff", StringComparison.Ordinal) == true)
            .ToHashSet();

        Assert.Equal(bound.Select(t => t.Name).Order(), BoundOptions.Select(b => b.Type).Distinct().Select(t => t.Name).Order());
    }

    /// <summary>The options classes the app binds from configuration, with their sections.</summary>
    private static readonly (Type Type, string Section)[] BoundOptions =
    [
        (typeof(BffOidcOptions), BffOidcOptions.SectionName),
        (typeof(BffOptions), BffOptions.SectionName),
        (typeof(Bff.Tokens.BffTokenOptions), BffOptions.SectionName),
        (typeof(Bff.Security.BffApiOptions), BffOptions.SectionName),
        (typeof(Bff.Logout.BackchannelLogoutOptions), Bff.Logout.BackchannelLogoutOptions.SectionName),
        (typeof(Bff.Health.BffStartupCheckOptions), Bff.Health.BffStartupCheckOptions.SectionName),
        (typeof(Bff.Security.BffSecurityHeadersOptions), Bff.Security.BffSecurityHeadersOptions.SectionName),
        (typeof(Bff.Security.BffDataProtectionOptions), Bff.Security.BffDataProtectionOptions.SectionName),
        (typeof(Bff.Sessions.SessionStorageOptions), Bff.Sessions.SessionStorageOptions.SectionName),
        (typeof(Bff.Events.BffEventsOptions), Bff.Events.BffEventsOptions.SectionName),
        (typeof(Bff.Account.BffAccountOptions), Bff.Account.BffAccountOptions.SectionName),
        (typeof(Bff.Telemetry.BffTelemetryOptions), Bff.Telemetry.BffTelemetryOptions.SectionName),
        (typeof(Bff.Storage.PostgreSql.UserStorageOptions), Bff.Storage.PostgreSql.UserStorageOptions.SectionName),
    ];

    /// <summary>Every configuration key the options classes bind, in the doc's notation.</summary>
    private static IEnumerable<string> BoundKeys() =>
        BoundOptions.SelectMany(bound => Keys(bound.Type, bound.Section))
            .Distinct(StringComparer.Ordinal)
            .Concat(StorageKeys);

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            if (t.IsGenericType && t.GetGenericTypeDefinition() is var g && (g == typeof(IDictionary<,>) || g == typeof(Dictionary<,>)))
            {
                foreach (var inner in Keys(t.GetGenericArguments()[1], $"{key}:<name>"))
                {
                    yield return inner;
                }
            }
            else if (t != typeof(string) && typeof(IEnumerable).IsAssignableFrom(t))
            {
                // A list binds by index; a get-only IReadOnlyList is computed, not bound.
                if (!t.IsGenericType || t.GetGenericTypeDefinition() != typeof(IReadOnlyList<>))
                {
                    var element = t.IsGenericType ? t.GetGenericArguments()[0] : typeof(string);
                    if (element.IsClass && element != typeof(string) && element != typeof(Uri))
                    {
                        // A list of objects binds each one's properties by index.
                        foreach (var inner in Keys(element, $"{key}:<n>"))
                        {
                            yield return inner;
                        }
                    }
                    else
                    {
                        yield return $"{key}:<n>";
                    }
                }
            }
            else if (property.SetMethod is not { IsPublic: true })
            {
                continue;
            }
            else if (t.IsClass && t != typeof(string) && t != typeof(Uri))
            {
                foreach (var inner in Keys(t, key))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return key;
            }
        }
    }

    private static string OtherValue(string value) => value switch
    {
        "true" => "false",
        "false" => "true",
        "Keycloak" => "Local",
        "Local" => "Keycloak",
        _ when Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme.StartsWith("http", StringComparison.Ordinal) => new Uri(uri, uri.AbsolutePath + "x").AbsoluteUri,
        _ => value + "x",
    };

    private static string Snapshot(IReadOnlyDictionary<string, string> env)
    {
        using var host = Build(env);
        try
        {
            return JsonSerializer.Serialize(new object[]
            {
                host.Services.GetRequiredService<IOptions<BffOidcOptions>>().Value,
                host.Services.GetRequiredService<IOptions<BffOptions>>().Value,
                host.Services.GetRequiredService<IOptions<BffStorageOptions>>().Value,
                host.Services.GetRequiredService<IOptions<Bff.Security.BffDataProtectionOptions>>().Value,
            });
        }
        catch (OptionsValidationException e)
        {
            // The baseline validates, so a changed value that the validator now refuses was bound
            // (e.g. RequireHttpsMetadata turned on over an http address).
            return "invalid: " + e.Message;
        }
    }

    /// <summary>A host with AddBff over these environment variables, converted the way ASP.NET's environment provider does ("__" is ":").</summary>
    private static IHost Build(IReadOnlyDictionary<string, string> env)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(env.Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));
        builder.Services.AddLogging();
        builder.Services.AddBff(builder.Configuration).AddDataProtection();
        return builder.Build();
    }

    [GeneratedRegex(@"^\| `(?<key>(Oidc|Bff|ConnectionStrings|DataProtection):[^`]+)` \| (?<env>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
