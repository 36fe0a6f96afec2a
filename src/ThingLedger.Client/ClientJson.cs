using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ThingLedger.Client;

/// <summary>Declares a module's JSON context (its API shapes) to the SDK; one line in the module's <c>Client/</c> folder.</summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class ModuleJsonAttribute(Type context) : Attribute
{
    public Type Context { get; } = context;
}

/// <summary>
/// Every API shape the SDK knows: the kernel's (<see cref="ClientJsonContext"/>) and each
/// module's, as the modules declare them with <see cref="ModuleJsonAttribute"/>. The node
/// serialises its answers with <see cref="Resolver"/>, so node and SDK share one definition.
/// </summary>
public static class ClientJson
{
    public static IJsonTypeInfoResolver Resolver { get; } = JsonTypeInfoResolver.Combine([ClientJsonContext.Default, .. ModuleContexts()]);

    /// <summary>The SDK's options (camelCase, nulls omitted, duplicate keys refused) over <see cref="Resolver"/>.</summary>
    public static JsonSerializerOptions Options { get; } = new(ClientJsonContext.Default.Options) { TypeInfoResolver = Resolver };

    private static IEnumerable<JsonSerializerContext> ModuleContexts() =>
        typeof(ClientJson).Assembly.GetCustomAttributes<ModuleJsonAttribute>()
            .OrderBy(a => a.Context.FullName, StringComparer.Ordinal)
            .Select(a => (JsonSerializerContext)(a.Context.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
                ?? throw new InvalidOperationException($"{a.Context} is not a source-generated JSON context")));
}
