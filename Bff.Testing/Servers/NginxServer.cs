using System.Globalization;
using System.Text;

namespace Bff.Testing.Servers;

/// <summary>
/// nginx as the load balancer in front of several BFF instances: round-robin over the given
/// upstream addresses, on a free loopback port, with its config, logs and temp files in a folder of
/// its own (<c>BFF_NGINX</c> names the binary, default Debian's /usr/sbin/nginx). Dispose to stop.
/// </summary>
public sealed class NginxServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly string _folder;

    private NginxServer(ServerProcess process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>Where the browser (or HttpClient) reaches the instances.</summary>
    public Uri Address { get; }

    /// <summary>The config file it runs on.</summary>
    public string ConfigFile => Path.Combine(_folder, "nginx.conf");

    /// <summary>Its access log, one line per request with the upstream that served it (<c>upstream=127.0.0.1:port</c>).</summary>
    public string AccessLog => Path.Combine(_folder, "access.log");

    /// <summary>Starts nginx balancing round-robin over <paramref name="upstreams"/> (each <c>http://host:port/</c>).</summary>
    public static async Task<NginxServer> StartAsync(IReadOnlyList<Uri> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        if (upstreams.Count == 0)
        {
            throw new ArgumentException("At least one upstream.", nameof(upstreams));
        }

        var binary = ServerProcess.FindBinary("BFF_NGINX", "nginx", "/usr/sbin/nginx");
        var folder = ServerProcess.NewFolder("nginx");
        var port = ServerProcess.FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), RoundRobinConfig(folder, port, upstreams));
        var process = ServerProcess.Start(binary, ["-p", folder + "/", "-c", Path.Combine(folder, "nginx.conf"), "-e", Path.Combine(folder, "error.log")], folder);
        var server = new NginxServer(process, folder, port);
        try
        {
            await process.WaitUntilAsync(() => ServerProcess.AcceptsConnectionsAsync(port), $"nginx on port {port}", TimeSpan.FromSeconds(30));
            return server;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            var errors = File.Exists(Path.Combine(folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(folder, "error.log")) : "";
            await server.DisposeAsync();
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}error.log:{Environment.NewLine}{errors}", e);
        }
    }

    /// <summary>
    /// The config: one worker, round-robin upstream with keep-alive, the forwarded headers a proxy in
    /// front of the BFF sends (Host, X-Forwarded-For/-Proto/-Host), and a failed upstream retried on
    /// the next one, as production balancers do.
    /// </summary>
    public static string RoundRobinConfig(string folder, int port, IEnumerable<Uri> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        var servers = new StringBuilder();
        foreach (var upstream in upstreams)
        {
            servers.Append(CultureInfo.InvariantCulture, $"    server {upstream.Host}:{upstream.Port};\n");
        }

        return $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 2048; }
            http {
              log_format upstreams '$remote_addr "$request" $status upstream=$upstream_addr';
              access_log {{folder}}/access.log upstreams;
              client_body_temp_path {{folder}}/client_body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              large_client_header_buffers 4 32k;
              upstream bff {
            {{servers}}    keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://bff;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $http_host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto $scheme;
                  proxy_set_header X-Forwarded-Host $http_host;
                  proxy_buffer_size 32k;
                  proxy_buffers 8 32k;
                  proxy_next_upstream error timeout;
                  proxy_connect_timeout 5s;
                  proxy_read_timeout 120s;
                }
              }
            }
            """;
    }

    /// <summary>Stops nginx and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        ServerProcess.DeleteFolder(_folder);
    }
}
