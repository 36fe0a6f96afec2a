using System.Reflection;

namespace ThingLedger.Core;

/// <summary>
/// Marks a module error code published before modules had prefixes: it keeps its text, because
/// receipts in existing blocks (and so their receipts roots) hold it. New codes never carry it.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class UnprefixedAttribute : Attribute;

/// <summary>
/// A module's error codes: the prefix every new code of the module starts with, and every code
/// the module may put in a receipt or an answer. Read from the module's errors class (a static
/// class in its folder, <c>{Name}Errors.Contract.cs</c>): its <c>Prefix</c> constant and every
/// other public string constant.
/// </summary>
public sealed class ModuleErrors
{
    private ModuleErrors(string prefix, IReadOnlyList<string> codes, IReadOnlyList<string> unprefixed)
    {
        Prefix = prefix;
        Codes = codes;
        Unprefixed = unprefixed;
    }

    public string Prefix { get; }

    /// <summary>Every code, in declaration order.</summary>
    public IReadOnlyList<string> Codes { get; }

    /// <summary>The codes marked <see cref="UnprefixedAttribute"/>.</summary>
    public IReadOnlyList<string> Unprefixed { get; }

    /// <summary>The kernel's codes (<see cref="ErrorCodes"/>): admission, execution, ingest framing, transport.</summary>
    public static IReadOnlyList<string> Kernel { get; } = [.. Constants(typeof(ErrorCodes)).Select(f => f.Value)];

    /// <summary>Reads <paramref name="errors"/>: a static class with a <c>Prefix</c> constant and its codes as constants.</summary>
    public static ModuleErrors Of(Type errors)
    {
        var constants = Constants(errors).ToList();
        var prefix = constants.FirstOrDefault(c => c.Field.Name == "Prefix").Value
            ?? throw new ArgumentException($"{errors.Name} declares no Prefix constant", nameof(errors));
        var codes = constants.Where(c => c.Field.Name != "Prefix").ToList();
        return new ModuleErrors(prefix, [.. codes.Select(c => c.Value)],
            [.. codes.Where(c => c.Field.IsDefined(typeof(UnprefixedAttribute))).Select(c => c.Value)]);
    }

    /// <summary>
    /// Why this set of modules' codes cannot be registered together, or null: a prefix that is not
    /// capitals, digits and <c>_</c> ending in <c>_</c>; a prefix shared, or one the start of another;
    /// a new code without its module's prefix, or not of capitals, digits and <c>_</c>; a code declared
    /// twice (by two modules, or by a module and the kernel); a kernel code starting with a module's prefix.
    /// </summary>
    public static string? Conflict(IEnumerable<(string Module, ModuleErrors Errors)> modules)
    {
        var all = modules.ToList();
        foreach (var (module, errors) in all)
        {
            if (!IsCode(errors.Prefix) || !errors.Prefix.EndsWith('_'))
            {
                return $"module '{module}' declares the error prefix '{errors.Prefix}': a prefix is capitals, digits and '_', ending in '_'";
            }
            foreach (var (other, otherErrors) in all.Where(o => o.Module != module))
            {
                if (otherErrors.Prefix.StartsWith(errors.Prefix, StringComparison.Ordinal))
                {
                    return errors.Prefix == otherErrors.Prefix
                        ? $"modules '{module}' and '{other}' both declare the error prefix '{errors.Prefix}'"
                        : $"the error prefix '{otherErrors.Prefix}' of module '{other}' starts with the prefix '{errors.Prefix}' of module '{module}': a code could be either's";
                }
            }
            foreach (var code in errors.Codes.Except(errors.Unprefixed))
            {
                if (!IsCode(code) || !code.StartsWith(errors.Prefix, StringComparison.Ordinal) || code.Length == errors.Prefix.Length)
                {
                    return $"module '{module}' declares the error code '{code}', which does not start with its prefix '{errors.Prefix}' (or is not capitals, digits and '_')";
                }
            }
            if (Kernel.FirstOrDefault(k => k.StartsWith(errors.Prefix, StringComparison.Ordinal)) is { } kernel)
            {
                return $"the error prefix '{errors.Prefix}' of module '{module}' starts the kernel's code '{kernel}'";
            }
        }
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var code in Kernel)
        {
            owners[code] = "the kernel";
        }
        foreach (var (module, errors) in all)
        {
            foreach (var code in errors.Codes)
            {
                if (!owners.TryAdd(code, $"module '{module}'"))
                {
                    return $"the error code '{code}' is declared by {owners[code]} and by module '{module}'";
                }
            }
        }
        return null;
    }

    private static bool IsCode(string text) => text.Length is > 0 and <= 64 && text.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_');

    private static IEnumerable<(FieldInfo Field, string Value)> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f, (string)f.GetRawConstantValue()!));
}
