namespace Bff.Tests.Production;

/// <summary>Bff.Web/Dockerfile as a list of (instruction, arguments), continuation lines joined.</summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Instruction, string Arguments)> lines) => Lines = lines;

    /// <summary>The instructions in order; instruction names upper case.</summary>
    public IReadOnlyList<(string Instruction, string Arguments)> Lines { get; }

    /// <summary>Parses Bff.Web/Dockerfile.</summary>
    public static Dockerfile Load()
    {
        var lines = new List<(string, string)>();
        var pending = "";
        foreach (var raw in RepositoryFiles.Read("Bff.Web/Dockerfile").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (pending.Length == 0 && (line.TrimStart().StartsWith('#') || string.IsNullOrWhiteSpace(line)))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }

            var full = (pending + line.Trim()).Trim();
            pending = "";
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            lines.Add((full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
        }

        return new Dockerfile(lines);
    }

    /// <summary>The arguments of every occurrence of an instruction.</summary>
    public IReadOnlyList<string> All(string instruction) =>
        [.. Lines.Where(l => l.Instruction == instruction).Select(l => l.Arguments)];

    /// <summary>The index of the first line matching, or -1.</summary>
    public int IndexOf(string instruction, Func<string, bool> match) =>
        Lines.ToList().FindIndex(l => l.Instruction == instruction && match(l.Arguments));

    /// <summary>The value an ENV instruction gives a variable (KEY=value form), or null.</summary>
    public string? Env(string name)
    {
        foreach (var args in All("ENV"))
        {
            foreach (var pair in args.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0 && pair[..eq] == name)
                {
                    return pair[(eq + 1)..].Trim('"');
                }
            }
        }

        return null;
    }
}
