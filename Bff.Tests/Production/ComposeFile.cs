using YamlDotNet.RepresentationModel;

namespace Bff.Tests.Production;

/// <summary>compose.yml read with YamlDotNet's representation model, with the few lookups the tests need.</summary>
public sealed class ComposeFile
{
    private readonly YamlMappingNode _root;

    private ComposeFile(YamlMappingNode root) => _root = root;

    /// <summary>Parses compose.yml from the repository root.</summary>
    public static ComposeFile Load()
    {
        var stream = new YamlStream();
        using var reader = new StringReader(RepositoryFiles.Read("compose.yml"));
        stream.Load(reader);
        return new ComposeFile((YamlMappingNode)stream.Documents[0].RootNode);
    }

    /// <summary>The service names.</summary>
    public IReadOnlyList<string> ServiceNames => [.. Map(_root, "services").Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];

    /// <summary>The names of the top-level named volumes.</summary>
    public IReadOnlyList<string> VolumeNames =>
        _root.Children.TryGetValue(new YamlScalarNode("volumes"), out var v) && v is YamlMappingNode m
            ? [.. m.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)]
            : [];

    /// <summary>One service.</summary>
    public ComposeService Service(string name) => new(name, Map(Map(_root, "services"), name));

    internal static YamlMappingNode Map(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode map
            ? map
            : throw new Xunit.Sdk.XunitException($"compose.yml: no mapping '{key}'.");
}

/// <summary>A service of compose.yml.</summary>
public sealed class ComposeService(string name, YamlMappingNode node)
{
    /// <summary>The service name.</summary>
    public string Name => name;

    /// <summary>A scalar entry (image, network_mode, restart...), or null.</summary>
    public string? Scalar(string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

    /// <summary>A sequence entry (command, ports, volumes...) as strings; a scalar becomes one item.</summary>
    public IReadOnlyList<string> Sequence(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v)
        ? v switch
        {
            YamlSequenceNode seq => [.. seq.Children.Select(c => ((YamlScalarNode)c).Value!)],
            YamlScalarNode s => [s.Value!],
            _ => throw new Xunit.Sdk.XunitException($"compose.yml: {name}.{key} is neither a list nor a string."),
        }
        : [];

    /// <summary>A nested mapping (build, healthcheck, depends_on...), or null.</summary>
    public YamlMappingNode? Mapping(string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlMappingNode : null;

    /// <summary>The environment, whether written as a mapping or as a KEY=value list.</summary>
    public IReadOnlyDictionary<string, string> Environment
    {
        get
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!node.Children.TryGetValue(new YamlScalarNode("environment"), out var env))
            {
                return result;
            }

            if (env is YamlMappingNode map)
            {
                foreach (var (k, v) in map.Children)
                {
                    result[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value ?? "";
                }
            }
            else
            {
                foreach (var item in ((YamlSequenceNode)env).Children.Select(c => ((YamlScalarNode)c).Value!))
                {
                    var eq = item.IndexOf('=', StringComparison.Ordinal);
                    result[item[..eq]] = item[(eq + 1)..];
                }
            }

            return result;
        }
    }

    /// <summary>Published ports as (host port, container port).</summary>
    public IReadOnlyList<(int Host, int Container)> Ports =>
    [
        .. Sequence("ports").Select(p =>
        {
            var parts = p.Split(':');
            return (int.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
        }),
    ];

    /// <summary>Volume mounts as (source, target).</summary>
    public IReadOnlyList<(string Source, string Target)> Volumes =>
    [
        .. Sequence("volumes").Select(v =>
        {
            var parts = v.Split(':');
            return (parts[0], parts[1]);
        }),
    ];
}
