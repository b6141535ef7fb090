using System.Text.Json;

namespace Bff.Tests.Production;

/// <summary>
/// compose.yml cannot run here (no Docker engine), so these tests read it together with the realm
/// file and the Dockerfile and prove the three agree: what the browser, the BFF container and the
/// Keycloak container each see must line up, or `docker compose up` signs nobody in.
/// </summary>
public sealed class ComposeTests
{
    private static readonly ComposeFile Compose = ComposeFile.Load();

    private static ComposeService Keycloak => Compose.Service("keycloak");

    private static ComposeService BffService => Compose.Service("bff");

    [Fact]
    public void Keycloak_26_runs_in_dev_mode_and_imports_the_realm_folder()
    {
        Assert.StartsWith("quay.io/keycloak/keycloak:26", Keycloak.Scalar("image"), StringComparison.Ordinal);
        Assert.Equal(["start-dev", "--import-realm"], Keycloak.Sequence("command"));
        Assert.Contains(("./realm", "/opt/keycloak/data/import"), Keycloak.Volumes);

        var env = Keycloak.Environment;
        Assert.False(string.IsNullOrEmpty(env.GetValueOrDefault("KC_BOOTSTRAP_ADMIN_USERNAME")));
        Assert.False(string.IsNullOrEmpty(env.GetValueOrDefault("KC_BOOTSTRAP_ADMIN_PASSWORD")));
        Assert.Equal("true", env.GetValueOrDefault("KC_HEALTH_ENABLED"));
    }

    [Fact]
    public void Keycloak_is_configured_with_options_Keycloak_26_still_reads()
    {
        // Hostname v1 options and KEYCLOAK_ADMIN are ignored by Keycloak 26: a file using them looks
        // configured but is not.
        string[] ignored = ["KC_HOSTNAME_URL", "KC_HOSTNAME_ADMIN_URL", "KC_HOSTNAME_PORT", "KC_HOSTNAME_PATH",
            "KC_HOSTNAME_STRICT_BACKCHANNEL", "KC_PROXY", "KEYCLOAK_ADMIN", "KEYCLOAK_ADMIN_PASSWORD"];

        Assert.Empty(Keycloak.Environment.Keys.Intersect(ignored));
    }

    [Fact]
    public void Every_realm_file_is_named_after_its_realm()
    {
        // Keycloak's --import-realm expects <name>-realm.json to hold realm <name>.
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("realm"), "*.json"))
        {
            using var realm = JsonDocument.Parse(File.ReadAllText(file));
            Assert.Equal(Path.GetFileName(file), realm.RootElement.GetProperty("realm").GetString() + "-realm.json");
        }
    }

    [Fact]
    public void The_BFF_expects_the_issuer_Keycloak_puts_in_tokens_and_the_browser_can_reach()
    {
        var frontEnd = new Uri(Keycloak.Environment["KC_HOSTNAME"]);
        var authority = new Uri(BffService.Environment["Oidc__Authority"]);

        // Keycloak issues tokens with iss = {KC_HOSTNAME}/realms/{realm}, whatever host a request used.
        Assert.Equal(new Uri(frontEnd, "realms/" + RealmName()), authority);
        // ...and the browser reaches that URL through Keycloak's published port.
        Assert.Equal("localhost", frontEnd.Host);
        Assert.Contains((frontEnd.Port, 8080), Keycloak.Ports);
    }

    [Fact]
    public void The_BFF_reads_discovery_from_Keycloak_by_its_service_name()
    {
        var metadata = new Uri(BffService.Environment["Oidc__MetadataAddress"]);

        Assert.Contains(metadata.Host, Compose.ServiceNames);
        Assert.Equal("keycloak", metadata.Host);
        Assert.Equal(8080, metadata.Port); // the container port, not the published one
        Assert.Equal($"/realms/{RealmName()}/.well-known/openid-configuration", metadata.AbsolutePath);
        // Without dynamic back-channel URLs, discovery fetched by the service name would still name
        // http://localhost:8080 for the token endpoint, which is the BFF container itself.
        Assert.Equal("true", Keycloak.Environment["KC_HOSTNAME_BACKCHANNEL_DYNAMIC"]);
    }

    [Fact]
    public void Client_id_and_secret_are_the_realm_s_confidential_client()
    {
        var env = BffService.Environment;
        var client = RealmClient(env["Oidc__ClientId"]);

        Assert.True(client.GetProperty("enabled").GetBoolean());
        Assert.False(client.GetProperty("publicClient").GetBoolean());
        Assert.True(client.GetProperty("standardFlowEnabled").GetBoolean());
        Assert.Equal(client.GetProperty("secret").GetString(), env["Oidc__ClientSecret"]);
        Assert.Equal("S256", client.GetProperty("attributes").GetProperty("pkce.code.challenge.method").GetString());
    }

    [Fact]
    public void Keycloak_s_backchannel_logout_calls_reach_the_BFF_through_the_relay()
    {
        var client = RealmClient(BffService.Environment["Oidc__ClientId"]);
        var backchannel = new Uri(client.GetProperty("attributes").GetProperty("backchannel.logout.url").GetString()!);
        var relay = Compose.Service("backchannel-relay");
        var (_, bffPort) = Assert.Single(BffService.Ports);

        Assert.Equal("/bff/backchannel", backchannel.AbsolutePath);
        Assert.Equal("localhost", backchannel.Host);
        // The relay shares Keycloak's network namespace, so Keycloak's "localhost" is the relay's...
        Assert.Equal("service:keycloak", relay.Scalar("network_mode"));
        var (config, target) = Assert.Single(relay.Volumes);
        Assert.Equal("/etc/nginx/nginx.conf", target);
        var nginx = RepositoryFiles.Read(config.TrimStart('.', '/'));
        Assert.Contains($"listen {backchannel.Port};", nginx, StringComparison.Ordinal);
        // ...and it forwards to the BFF's container port by service name (what BackchannelRelayTests runs).
        Assert.Contains($"proxy_pass http://bff:{bffPort};", nginx, StringComparison.Ordinal);
    }

    [Fact]
    public void The_BFF_container_port_is_the_one_the_image_listens_on()
    {
        var dockerfile = Dockerfile.Load();
        var (_, containerPort) = Assert.Single(BffService.Ports);

        Assert.Equal($"http://+:{containerPort}", dockerfile.Env("ASPNETCORE_URLS"));
        Assert.Contains(containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), dockerfile.All("EXPOSE"));
        Assert.False(BffService.Environment.ContainsKey("ASPNETCORE_URLS"), "the image decides the port; compose only maps it");
    }

    [Fact]
    public void The_database_and_the_keys_live_on_the_declared_volume()
    {
        var env = BffService.Environment;
        var (source, target) = Assert.Single(BffService.Volumes);

        Assert.Contains(source, Compose.VolumeNames);
        Assert.Contains(target, Dockerfile.Load().All("VOLUME"));
        Assert.StartsWith($"Filename={target}/", env["ConnectionStrings__Bff"], StringComparison.Ordinal);
        Assert.StartsWith($"{target}/", env["DataProtection__KeysPath"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_BFF_waits_for_a_healthy_Keycloak_and_runs_as_production()
    {
        var dependsOn = BffService.Mapping("depends_on");

        Assert.NotNull(dependsOn);
        Assert.Equal("service_healthy", ((YamlDotNet.RepresentationModel.YamlScalarNode)((YamlDotNet.RepresentationModel.YamlMappingNode)dependsOn["keycloak"])["condition"]).Value);
        Assert.NotNull(Keycloak.Mapping("healthcheck"));
        Assert.Equal("Production", BffService.Environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("Bff.Web/Dockerfile", BffService.Mapping("build")!.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("dockerfile")].ToString());
    }

    private static string RealmName()
    {
        using var realm = JsonDocument.Parse(RepositoryFiles.Read("realm/bff-realm.json"));
        return realm.RootElement.GetProperty("realm").GetString()!;
    }

    private static JsonElement RealmClient(string clientId)
    {
        using var realm = JsonDocument.Parse(RepositoryFiles.Read("realm/bff-realm.json"));
        return realm.RootElement.GetProperty("clients").EnumerateArray()
            .Single(c => c.GetProperty("clientId").GetString() == clientId).Clone();
    }
}
