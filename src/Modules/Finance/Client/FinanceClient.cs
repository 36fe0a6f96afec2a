using System.Globalization;
using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Execution.Modules.Finance;

[assembly: ThingLedger.Client.ModuleJson(typeof(ThingLedger.Client.FinanceJson))]

namespace ThingLedger.Client;

/// <summary>Supply-chain finance: receivables, quotes, clearings and credit lines.</summary>
public sealed partial class ThingLedgerClient
{
    public Task<ReceivableView?> GetReceivableAsync(Hash id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/finance/receivables/{id}", FinanceJson.Default.ReceivableView, cancellationToken);

    public Task<QuoteView?> GetQuoteAsync(ulong number, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/finance/quotes/{number.ToString(CultureInfo.InvariantCulture)}", FinanceJson.Default.QuoteView, cancellationToken);

    public Task<ClearingView?> GetClearingAsync(string id, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/finance/clearings/{Uri.EscapeDataString(id)}", FinanceJson.Default.ClearingView, cancellationToken);

    public Task<CreditLineView?> GetCreditLineAsync(Address merchant, Address lender, CancellationToken cancellationToken = default) =>
        GetOrNullAsync($"v1/finance/lines/{merchant}/{lender}", FinanceJson.Default.CreditLineView, cancellationToken);
}

/// <summary>What a participant computes from a clearing's positions itself, rather than trusting the node's plan.</summary>
public static class ClearingPlans
{
    /// <summary>The netting plan of <paramref name="view"/>'s positions (<see cref="FinanceNetting.Plan"/>) and its digest, which `net` signs.</summary>
    /// <exception cref="InvalidOperationException">The positions do not balance.</exception>
    public static (List<NetTransfer> Plan, Hash Digest) PlanHere(this ClearingView view)
    {
        var positions = view.Positions.Select(p => new FinanceNetting.Position(
            Address.Parse(p.Participant), UInt128.Parse(p.Credits, CultureInfo.InvariantCulture), UInt128.Parse(p.Debits, CultureInfo.InvariantCulture)));
        var plan = FinanceNetting.Plan(positions, out var error)
            ?? throw new InvalidOperationException($"{error}: the positions of clearing {view.Id} do not balance");
        return (plan, FinanceNetting.Digest(plan));
    }
}

/// <summary>The finance module's API shapes, serialised as the node's other views are (camelCase, nulls omitted, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ReceivableView))]
[JsonSerializable(typeof(QuoteView))]
[JsonSerializable(typeof(ClearingView))]
[JsonSerializable(typeof(CreditLineView))]
public sealed partial class FinanceJson : JsonSerializerContext;
