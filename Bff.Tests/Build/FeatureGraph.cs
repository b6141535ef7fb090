using System.Reflection;
using System.Reflection.Emit;

namespace Bff.Tests.Build;

/// <summary>
/// Which namespaces of one assembly use which others, read from the compiled code: signatures,
/// base types, attributes, locals and every type, method and field token in the method bodies' IL
/// (so a <c>new</c>, a static call or a <c>typeof</c> inside a body counts, not only what a
/// signature shows). A namespace <c>Bff.X</c> and <c>Bff.X.Internal</c> are one feature, <c>X</c>.
/// </summary>
internal sealed class FeatureGraph
{
    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value, code => code.OperandType);

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private FeatureGraph(Assembly assembly, IReadOnlyDictionary<string, IReadOnlySet<string>> edges, IReadOnlyDictionary<(string From, string To), string> witnesses)
    {
        Assembly = assembly;
        Edges = edges;
        Witnesses = witnesses;
    }

    public Assembly Assembly { get; }

    /// <summary>Feature to the features it uses (itself excluded).</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; }

    /// <summary>One type pair that made each edge, for a readable failure.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Witnesses { get; }

    /// <summary>The feature a namespace belongs to: <c>Bff.Sessions.Internal</c> is <c>Sessions</c>, <c>Bff</c> is <c>Bff</c>; others keep their name.</summary>
    public static string FeatureOf(string? ns)
    {
        if (ns is null)
        {
            return "(global)";
        }

        if (ns == "Bff")
        {
            return "Bff";
        }

        return ns.StartsWith("Bff.", StringComparison.Ordinal) ? ns.Split('.')[1] : ns;
    }

    public static FeatureGraph Of(Assembly assembly)
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var witnesses = new Dictionary<(string, string), string>();
        foreach (var type in assembly.GetTypes())
        {
            var owner = Outermost(type);
            var from = FeatureOf(owner.Namespace);
            edges.TryAdd(from, new HashSet<string>(StringComparer.Ordinal));
            foreach (var used in Uses(type).Select(Outermost).Where(t => t.Assembly == assembly).Distinct())
            {
                var to = FeatureOf(used.Namespace);
                if (to != from && edges[from].Add(to))
                {
                    witnesses[(from, to)] = $"{owner.FullName} uses {used.FullName}";
                }
            }
        }

        return new FeatureGraph(
            assembly,
            edges.ToDictionary(pair => pair.Key, pair => (IReadOnlySet<string>)pair.Value, StringComparer.Ordinal),
            witnesses);
    }

    /// <summary>A cycle of features, as the path <c>A, B, ..., A</c>, or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? FindCycle()
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in Edges.Keys.Order(StringComparer.Ordinal))
        {
            if (Visit(start) is { } cycle)
            {
                return cycle;
            }
        }

        return null;

        IReadOnlyList<string>? Visit(string node)
        {
            if (state.GetValueOrDefault(node) == 2)
            {
                return null;
            }

            if (state.GetValueOrDefault(node) == 1)
            {
                return [.. path.Skip(path.IndexOf(node)), node];
            }

            state[node] = 1;
            path.Add(node);
            foreach (var next in Edges.GetValueOrDefault(node) ?? new HashSet<string>())
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
    }

    /// <summary>The edges that lie on a cycle (both ends in one strongly connected component), among <paramref name="nodes"/> only.</summary>
    public IReadOnlySet<(string From, string To)> EdgesOnCycles(IReadOnlySet<string> nodes)
    {
        var component = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var next = 0;
        IEnumerable<string> Out(string node) => (Edges.GetValueOrDefault(node) ?? new HashSet<string>()).Where(nodes.Contains);

        void Connect(string node)
        {
            index[node] = low[node] = next++;
            stack.Push(node);
            onStack.Add(node);
            foreach (var to in Out(node))
            {
                if (index.TryGetValue(to, out var seen))
                {
                    if (onStack.Contains(to))
                    {
                        low[node] = Math.Min(low[node], seen);
                    }
                }
                else
                {
                    Connect(to);
                    low[node] = Math.Min(low[node], low[to]);
                }
            }

            if (low[node] == index[node])
            {
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component[member] = index[node];
                }
                while (member != node);
            }
        }

        foreach (var node in nodes.Where(Edges.ContainsKey).Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Connect(node);
            }
        }

        return nodes.Where(component.ContainsKey)
            .SelectMany(from => Out(from).Where(to => component[to] == component[from]).Select(to => (from, to)))
            .ToHashSet();
    }

    public string Explain(IReadOnlyList<string> cycle) =>
        string.Join("; ", cycle.Zip(cycle.Skip(1)).Select(step => $"{step.First} -> {step.Second} ({Witnesses.GetValueOrDefault(step)})"));

    private static Type Outermost(Type type)
    {
        while (type.IsNested)
        {
            type = type.DeclaringType!;
        }

        return type;
    }

    private static List<Type> Uses(Type type)
    {
        var found = new List<Type>();
        void Add(Type? t)
        {
            if (t is null)
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(t.GetElementType());
                return;
            }

            if (t.IsGenericParameter)
            {
                return;
            }

            found.Add(t);
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        void AddAttributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(named => named.TypedValue)))
                {
                    Add(argument.ArgumentType);
                    Add(argument.Value as Type);
                }
            }
        }

        Add(type.BaseType);
        foreach (var contract in type.GetInterfaces())
        {
            Add(contract);
        }

        AddAttributes(type.CustomAttributes);
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddAttributes(method.CustomAttributes);
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
                AddAttributes(parameter.CustomAttributes);
            }

            foreach (var referenced in BodyReferences(type, method))
            {
                Add(referenced);
            }
        }

        return found;
    }

    // The types a method body names: locals, and the operands of every instruction that takes a
    // type, method, field or token (newobj, call, ldfld, ldtoken, box, castclass, ...).
    private static IEnumerable<Type> BodyReferences(Type type, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body?.GetILAsByteArray() is not { } il)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short code = il[position++];
            if (code == 0xFE)
            {
                code = unchecked((short)(0xFE00 | il[position++]));
            }

            var operand = OperandTypes[code];
            if (operand is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, position);
                var member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                switch (member)
                {
                    case Type t:
                        yield return t;
                        break;
                    case MethodBase m:
                        yield return m.DeclaringType!;
                        if (m.IsGenericMethod)
                        {
                            foreach (var argument in m.GetGenericArguments())
                            {
                                yield return argument;
                            }
                        }

                        break;
                    case FieldInfo f:
                        yield return f.DeclaringType!;
                        break;
                }
            }

            position += operand switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
                _ => 4,
            };
        }
    }
}
