using Bff.Sessions;

namespace Bff.Tests.Build;

/// <summary>
/// Bff.Core's feature folders as the compiled code shows them (<see cref="FeatureGraph"/> reads
/// signatures and method bodies): namespaces follow the folder rule, internals stay internal, and the
/// features' dependencies get no new cycles.
/// </summary>
public sealed class FeatureLayoutTests
{
    private static readonly FeatureGraph Graph = FeatureGraph.Of(typeof(IServerSessionStore).Assembly);

    /// <summary>Every feature folder of Bff.Core (each <c>Bff.X</c> namespace), and the root namespace <c>Bff</c>.</summary>
    private static readonly HashSet<string> Features = Graph.Assembly.GetTypes()
        .Where(t => t.Namespace?.StartsWith("Bff", StringComparison.Ordinal) == true)
        .Select(t => FeatureGraph.FeatureOf(t.Namespace))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The feature dependencies that still lie on a cycle: debt, listed so that it can only shrink.
    /// Every one runs through the root namespace: it holds BffOptions, whose sub-sections (Bff:Session,
    /// Bff:Login, ...) are the features' option types, while the features still read BffOptions.
    /// Remove a line when its edge is gone; never add one.
    /// </summary>
    private static readonly HashSet<(string, string)> KnownEdgesOnCycles =
    [
        ("Api", "Bff"),
        ("Bff", "Claims"), ("Bff", "Login"), ("Bff", "Logout"), ("Bff", "Proxy"), ("Bff", "Security"), ("Bff", "Sessions"), ("Bff", "Users"),
        ("Claims", "Bff"),
        ("Login", "Api"), ("Login", "Bff"), ("Login", "Claims"), ("Login", "Sessions"), ("Login", "Users"),
        ("Logout", "Api"), ("Logout", "Bff"), ("Logout", "Login"), ("Logout", "Sessions"), ("Logout", "Users"),
        ("Proxy", "Api"), ("Proxy", "Bff"), ("Proxy", "Login"), ("Proxy", "Tokens"),
        ("Security", "Api"), ("Security", "Bff"), ("Security", "Claims"), ("Security", "Login"), ("Security", "Sessions"), ("Security", "Tokens"), ("Security", "Users"),
        ("Sessions", "Api"), ("Sessions", "Bff"),
        ("Tokens", "Api"), ("Tokens", "Sessions"),
        ("Users", "Api"), ("Users", "Bff"), ("Users", "Claims"), ("Users", "Sessions"), ("Users", "Tokens"),
    ];

    [Fact]
    public void Every_feature_folder_is_checked()
    {
        Assert.Superset(new HashSet<string>(StringComparer.Ordinal) { "Bff", "Events", "Telemetry", "Sessions", "Tokens", "Login", "Logout" }, Features);
    }

    [Fact]
    public void Every_namespace_is_a_feature_or_its_Internal_part()
    {
        var wrong = Graph.Assembly.GetTypes()
            .Where(t => !t.IsNested && t.Namespace is { } ns && ns.StartsWith("Bff", StringComparison.Ordinal))
            .Select(t => t.Namespace!)
            .Distinct()
            .Where(ns => ns.Split('.') is var parts && !(parts.Length <= 2 || (parts.Length == 3 && parts[2] == "Internal")));

        Assert.Empty(wrong);
    }

    [Fact]
    public void Internal_namespaces_hold_no_public_type()
    {
        var exposed = Graph.Assembly.GetExportedTypes()
            .Where(t => t.Namespace?.EndsWith(".Internal", StringComparison.Ordinal) == true)
            .Select(t => t.FullName);

        Assert.Empty(exposed);
    }

    [Fact]
    public void No_feature_dependency_joins_a_cycle_beyond_the_listed_ones()
    {
        var onCycles = Graph.EdgesOnCycles(Features);
        var added = onCycles.Where(edge => !KnownEdgesOnCycles.Contains(edge))
            .Select(edge => $"{edge.From} -> {edge.To} ({Graph.Witnesses.GetValueOrDefault(edge)})");

        Assert.Empty(added);
    }

    [Fact]
    public void The_graph_reads_references_made_only_inside_method_bodies()
    {
        // Users uses Tokens only inside method bodies (UserEndpoint calls BffSchemes and TokenExpiry
        // in GetUserAsync); no signature, field or attribute of a Users type names a Tokens type.
        Assert.Contains("Tokens", Graph.Edges["Users"]);
    }
}
