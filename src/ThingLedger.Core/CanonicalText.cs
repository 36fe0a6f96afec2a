using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;

namespace ThingLedger.Core;

/// <summary>
/// The one text form of a status, side or kind: the <see cref="JsonStringEnumMemberNameAttribute"/>
/// of its enum member, which is also how the API's JSON writes and reads it. The explorer, the CLI
/// and the API all print it through here, so no status is spelled twice.
/// </summary>
public static class CanonicalText
{
    private static readonly ConcurrentDictionary<Type, (Dictionary<long, string> ByValue, Dictionary<string, long> ByText)> Names = new();

    /// <summary>The member's canonical text.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value the enum does not name.</exception>
    public static string Text<T>(this T value) where T : struct, Enum => Text((Enum)value);

    /// <summary>The member's canonical text, for a value whose enum type is known only at run time.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value the enum does not name.</exception>
    public static string Text(Enum value) =>
        Of(value.GetType()).ByValue.TryGetValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), out var text)
            ? text
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"{value.GetType().Name} has no member {value}");

    /// <summary>The member whose canonical text is <paramref name="text"/> (exactly: no case folding, no numbers).</summary>
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && Of<T>().ByText.TryGetValue(text, out var number))
        {
            value = (T)Enum.ToObject(typeof(T), number);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Every canonical text of <typeparamref name="T"/>, in member order.</summary>
    public static IReadOnlyCollection<string> All<T>() where T : struct, Enum => Of<T>().ByValue.Values;

    private static (Dictionary<long, string> ByValue, Dictionary<string, long> ByText) Of<T>() where T : struct, Enum => Of(typeof(T));

    private static (Dictionary<long, string> ByValue, Dictionary<string, long> ByText) Of(Type enumType) =>
        Names.GetOrAdd(enumType, static type =>
        {
            var byValue = new Dictionary<long, string>();
            var byText = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                var text = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
                    ?? throw new InvalidOperationException($"{type.Name}.{field.Name} has no canonical text ([JsonStringEnumMemberName])");
                var number = Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture);
                byValue.Add(number, text);
                byText.Add(text, number);
            }
            return (byValue, byText);
        });
}
