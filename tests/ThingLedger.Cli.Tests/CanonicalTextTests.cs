using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Execution.Modules.Market;

namespace ThingLedger.Cli.Tests;

/// <summary>Every status, side and kind the API carries has one text form, the same in JSON, the explorer and the CLI.</summary>
public class CanonicalTextTests
{
    private static IEnumerable<Type> ApiEnums() =>
        new[] { typeof(ThingLedgerClient), typeof(OrderSide), typeof(CanonicalText) }
            .Select(t => t.Assembly)
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsEnum && t.GetCustomAttribute<JsonConverterAttribute>() is not null);

    [Fact]
    public void Every_api_enum_member_has_one_text_written_and_read_as_json()
    {
        var enums = ApiEnums().ToList();
        Assert.Contains(typeof(TxState), enums);
        Assert.True(enums.Count >= 9, string.Join(", ", enums.Select(e => e.Name)));
        foreach (var type in enums)
        {
            var texts = new HashSet<string>(StringComparer.Ordinal);
            foreach (Enum value in Enum.GetValues(type))
            {
                var text = CanonicalText.Text(value);
                Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", text);
                Assert.True(texts.Add(text), $"{type.Name}: '{text}' twice");
                Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(value, type, ClientJson.Options));
                Assert.Equal(value, JsonSerializer.Deserialize($"\"{text}\"", type, ClientJson.Options));
            }
        }
    }

    [Fact]
    public void A_view_carries_the_canonical_text_and_an_unknown_text_is_refused()
    {
        var view = new TxResultView(0, null, TxState.Committed, null, null, 3);
        Assert.Contains("\"status\":\"committed\"", JsonSerializer.Serialize(view, ClientJson.Options), StringComparison.Ordinal);
        Assert.True(CanonicalText.TryParse<OrderSide>("sell", out var side) && side == OrderSide.Sell);
        Assert.False(CanonicalText.TryParse<OrderSide>("Sell", out _));
        Assert.False(CanonicalText.TryParse<OrderSide>("1", out _));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TxState>("\"done\"", ClientJson.Options));
    }
}
