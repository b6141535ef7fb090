using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Bff.Tests.Production;

/// <summary>
/// compose.yml's "scale" profile (<c>docker compose --profile scale up</c>): Redis with its
/// append-only file, PostgreSQL, two BFF replicas and nginx balancing them, read with the nginx
/// config, the realm and the operator doc, which must all agree, while the default profile stays
/// what it was.
/// </summary>
public sealed partial class ComposeScaleProfileTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();
    private static readonly string[] Replicas = ["bff-1", "bff-2"];

    [Fact]
    public void The_default_profile_is_unchanged_and_the_scale_services_run_only_in_the_scale_profile()
    {
        var byProfile = Compose.ServiceNames.ToLookup(name => string.Join(",", Compose.Service(name).Sequence("profiles")));

        Assert.Equal(["keycloak", "backchannel-relay", "bff"], byProfile[""]);
        Assert.Equal(["redis", "postgres", "bff-1", "bff-2", "lb"], byProfile["scale"]);
        Assert.DoesNotContain(Compose.Service("bff").Environment.Keys, k => k.StartsWith("Bff__Storage", StringComparison.Ordinal));
    }

    [Fact]
    public void Redis_keeps_an_append_only_file_on_a_volume()
    {
        var redis = Compose.Service("redis");

        var command = redis.Sequence("command");
        Assert.Equal("redis-server", command[0]);
        Assert.Equal("yes", command[command.ToList().IndexOf("--appendonly") + 1]);
        var (source, target) = Assert.Single(redis.Volumes);
        Assert.Equal("/data", target);
        Assert.Contains(source, Compose.VolumeNames);
        Assert.NotNull(redis.Mapping("healthcheck"));
    }

    [Fact]
    public void Both_replicas_are_the_same_image_with_the_same_settings_on_the_shared_engines()
    {
        var one = Compose.Service("bff-1");
        var two = Compose.Service("bff-2");
        var env = one.Environment;

        Assert.Equal(env, two.Environment);
        Assert.Equal("Bff.Web/Dockerfile", ((YamlScalarNode)one.Mapping("build")!.Children[new YamlScalarNode("dockerfile")]).Value);
        Assert.Empty(one.Ports);
        Assert.Equal("Redis", env["Bff__Storage__Sessions"]);
        Assert.Equal("PostgreSql", env["Bff__Storage__Users"]);
        Assert.Equal("true", env["Bff__Storage__MigrateOnStartup"]);
        Assert.Equal("true", env["ASPNETCORE_FORWARDEDHEADERS_ENABLED"]);
        Assert.StartsWith("redis:", env["ConnectionStrings__Redis"], StringComparison.Ordinal);
        Assert.NotEqual(Compose.Service("bff").Environment.GetValueOrDefault("Bff__Session__CookieName", "__Host-bff"), env["Bff__Session__CookieName"]);

        // The connection string is the database compose creates, by the service's name.
        var users = new NpgsqlConnectionStringBuilder(env["ConnectionStrings__Users"]);
        var postgres = Compose.Service("postgres").Environment;
        Assert.Equal(("postgres", postgres["POSTGRES_DB"], postgres["POSTGRES_USER"], postgres["POSTGRES_PASSWORD"]), (users.Host, users.Database, users.Username, users.Password));

        var dependsOn = one.Mapping("depends_on")!;
        foreach (var service in new[] { "keycloak", "redis", "postgres" })
        {
            var condition = (YamlMappingNode)dependsOn.Children[new YamlScalarNode(service)];
            Assert.Equal("service_healthy", ((YamlScalarNode)condition.Children[new YamlScalarNode("condition")]).Value);
        }
    }

    [Fact]
    public void Every_setting_of_the_replicas_is_a_documented_key()
    {
        var documented = DocumentedVariable().Matches(RepositoryFiles.Read("docs/operations.md")).Select(m => m.Groups["env"].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var name in Compose.Service("bff-1").Environment.Keys.Where(k => !k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)))
        {
            Assert.True(documented.Contains(name), $"compose.yml's replicas set {name}, which docs/operations.md does not list.");
        }
    }

    [Fact]
    public void Nginx_balances_round_robin_over_both_replicas_on_the_port_the_image_listens_on()
    {
        var lb = Compose.Service("lb");
        var (config, target) = Assert.Single(lb.Volumes);
        Assert.Equal("/etc/nginx/nginx.conf", target);
        var nginx = RepositoryFiles.Read(config.TrimStart('.', '/'));
        var (_, containerPort) = Assert.Single(Compose.Service("bff").Ports);

        var upstream = Regex.Match(nginx, @"upstream bff \{(?<body>[^}]*)\}").Groups["body"].Value;
        Assert.Equal(Replicas.Select(r => $"{r}:{containerPort}"), Regex.Matches(upstream, @"server (\S+);").Select(m => m.Groups[1].Value));
        Assert.DoesNotContain("ip_hash", upstream, StringComparison.Ordinal);
        Assert.DoesNotContain("hash ", upstream, StringComparison.Ordinal);
        var (_, lbPort) = Assert.Single(lb.Ports);
        Assert.Contains($"listen {lbPort};", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_pass http://bff;", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header Host $http_host;", nginx, StringComparison.Ordinal);
        Assert.Contains("proxy_set_header X-Forwarded-Proto $scheme;", nginx, StringComparison.Ordinal);
    }

    [Fact]
    public void The_realm_accepts_the_load_balancer_s_callback_addresses()
    {
        var (hostPort, _) = Assert.Single(Compose.Service("lb").Ports);
        using var realm = JsonDocument.Parse(RepositoryFiles.Read("realm/bff-realm.json"));
        var client = realm.RootElement.GetProperty("clients").EnumerateArray().Single(c => c.GetProperty("clientId").GetString() == "bff");

        Assert.Contains($"http://localhost:{hostPort}/signin-oidc", client.GetProperty("redirectUris").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"http://localhost:{hostPort}/signout-callback-oidc", client.GetProperty("attributes").GetProperty("post.logout.redirect.uris").GetString()!.Split("##"));
    }

    [GeneratedRegex(@"^\| `[^`]+` \| `(?<env>[^`]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedVariable();
}
