using System.Globalization;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Energy;

namespace ThingLedger.Cli.Simulation;

/// <summary>
/// The neighbourhood trading on its feeder's market, interval after interval: each home's energy
/// manager places its order with the meter's own key for the next interval whose gate is open; the
/// grid operator asks for flexibility when its forecast says the feeder will be overloaded, clears
/// each interval at its gate, tells the homes what they sold and what their batteries absorb, and
/// settles each interval once the meters' readings past it are anchored.
/// </summary>
internal sealed class NeighbourhoodMarket
{
    private readonly ThingLedgerClient _client;
    private readonly Neighbourhood _neighbourhood;
    private readonly MarketTerms _terms;
    private readonly Account _operator;
    private readonly Dictionary<Address, Account> _meters;
    private readonly byte _decimals;
    private readonly Action<string> _progress;
    private readonly SortedDictionary<ulong, bool> _open = []; // interval start → cleared

    private NeighbourhoodMarket(ThingLedgerClient client, Neighbourhood neighbourhood, MarketTerms terms, Account gridOperator, Dictionary<Address, Account> meters, byte decimals, Action<string> progress)
    {
        (_client, _neighbourhood, _terms, _operator, _meters, _decimals, _progress) = (client, neighbourhood, terms, gridOperator, meters, decimals, progress);
    }

    /// <summary>
    /// Creates the market unless it exists (signed by <paramref name="gridOperator"/>, a member of the
    /// organisation that registered the meters), joins every meter not in it yet through its owner with
    /// <paramref name="deposit"/> for its orders, and picks up the intervals an earlier run left open.
    /// </summary>
    public static async Task<NeighbourhoodMarket> OpenAsync(ThingLedgerClient client, Neighbourhood neighbourhood, MarketTerms terms, Account gridOperator, UInt128 deposit,
        Action<string> progress, CancellationToken ct)
    {
        if (await client.GetEnergyMarketAsync(terms.Id, ct).ConfigureAwait(false) is null)
        {
            await client.SubmitAllCommittedAsync([gridOperator.Sign(Operations.CreateEnergyMarket(terms))], $"creating energy market {terms.Id}", cancellationToken: ct).ConfigureAwait(false);
        }
        var joins = new List<Transaction>();
        var meters = new Dictionary<Address, Account>();
        foreach (var home in neighbourhood.Homes)
        {
            var meter = home.Meter.Key.Address;
            meters[meter] = await Account.OpenAsync(client, home.Meter.Key, gridOperator.ChainId, ct).ConfigureAwait(false);
            if (await client.GetEnergyMeterAsync(meter, ct).ConfigureAwait(false) is null)
            {
                var owner = await Account.OpenAsync(client, home.Owner, gridOperator.ChainId, ct).ConfigureAwait(false);
                joins.Add(owner.Sign(Operations.JoinEnergyMarket(terms.Id, meter, Neighbourhood.AllowanceWh(terms, home), Neighbourhood.AllowancePrice, deposit)));
            }
        }
        await client.SubmitAllCommittedAsync(joins, $"joining the neighbourhood's meters to {terms.Id}", cancellationToken: ct).ConfigureAwait(false);
        var token = await client.GetTokenAsync(terms.Token, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"the market's token {terms.Token} does not exist");
        var market = new NeighbourhoodMarket(client, neighbourhood, terms, gridOperator, meters, token.Decimals, progress);
        var view = (await client.GetEnergyMarketAsync(terms.Id, ct).ConfigureAwait(false))!;
        foreach (var interval in view.Intervals.Where(i => i.Status != "settled"))
        {
            market._open[interval.Start] = interval.Status == "cleared";
            if (interval.Status == "cleared" && await client.GetEnergyIntervalAsync(terms.Id, interval.Start, ct).ConfigureAwait(false) is { } cleared)
            {
                market.Plan(cleared);
            }
        }
        return market;
    }

    /// <summary>Trades until cancelled: every two seconds it places, clears and settles what is due; a round the node could not answer is tried again the next.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        do
        {
            try
            {
                await StepAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ThingLedgerException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                _progress($"energy {_terms.Id}: {e.Message} (trying again)");
            }
        }
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
    }

    /// <summary>One round: the next interval's orders if not placed yet, then the clearing and settlement of every interval due.</summary>
    public async Task StepAsync(CancellationToken ct)
    {
        var now = CliArguments.Now;
        // Ten seconds' margin, so the orders commit before the gate.
        var next = ((now + _terms.GateMs + 10_000) / _terms.IntervalMs + 1) * _terms.IntervalMs;
        if (!_open.ContainsKey(next))
        {
            await PlaceAsync(next, ct).ConfigureAwait(false);
        }
        foreach (var (start, cleared) in _open.ToList())
        {
            if (!cleared && now >= start - _terms.GateMs)
            {
                await ClearAsync(start, ct).ConfigureAwait(false);
            }
            else if (cleared && now >= start + _terms.IntervalMs)
            {
                await SettleAsync(start, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task PlaceAsync(ulong start, CancellationToken ct)
    {
        var flex = _neighbourhood.NeedsFlexibility(_terms, start);
        if (flex)
        {
            await SubmitAsync(_operator, Operations.RequestFlexibility(_terms.Id, start, Neighbourhood.FlexWh, Neighbourhood.FlexPrice), ct).ConfigureAwait(false);
        }
        var txs = new List<(Account Signer, Transaction Tx, EnergySide Side)>();
        foreach (var home in _neighbourhood.Homes)
        {
            if (Neighbourhood.Order(home, _terms, start, flex) is { } order)
            {
                var meter = home.Meter.Key.Address;
                var signer = _meters[meter];
                var operation = order.Side switch
                {
                    EnergySide.Offer => Operations.EnergyOffer(meter, start, order.Wh, order.Price),
                    EnergySide.Bid => Operations.EnergyBid(meter, start, order.Wh, order.Price),
                    _ => Operations.EnergyCommit(meter, start, order.Wh, order.Price),
                };
                txs.Add((signer, signer.Sign(operation), order.Side));
            }
        }
        _open[start] = false;
        if (txs.Count == 0)
        {
            _progress($"energy {_terms.Id} {Span(start)}: no home has anything to trade");
            return;
        }
        var response = await _client.SubmitAsync([.. txs.Select(t => t.Tx)], wait: true, timeoutMs: 30_000, ct).ConfigureAwait(false);
        var placed = new List<EnergySide>();
        var refused = new List<string>();
        foreach (var result in response.Results)
        {
            var (signer, tx, side) = txs[result.Index];
            if (result.Status == TxState.Committed)
            {
                placed.Add(side);
                continue;
            }
            refused.Add(result.Code ?? result.Status.ToString());
            if (result.Status == TxState.Rejected)
            {
                signer.Rewind(tx.Nonce);
            }
        }
        _progress(string.Create(CultureInfo.InvariantCulture,
            $"energy {_terms.Id} {Span(start)}: the homes' energy managers placed {placed.Count(s => s == EnergySide.Offer)} offers and {placed.Count(s => s == EnergySide.Bid)} bids") +
            (flex ? $"; the grid operator expects the feeder to export more than {_terms.CapacityWh} Wh and asked batteries for flexibility: {placed.Count(s => s == EnergySide.Commit)} committed" : "") +
            (refused.Count > 0 ? $" ({refused.Count} refused: {string.Join(", ", refused.Distinct())})" : ""));
    }

    private async Task ClearAsync(ulong start, CancellationToken ct)
    {
        var code = await SubmitAsync(_operator, Operations.ClearInterval(_terms.Id, start), ct).ConfigureAwait(false);
        if (code == EnergyErrors.GateOpen)
        {
            return; // the newest block is still before the gate: next round
        }
        if (code is not null and not EnergyErrors.Cleared)
        {
            _progress($"energy {_terms.Id} {Span(start)}: clearing refused ({code})");
            _open.Remove(start);
            return;
        }
        var interval = (await _client.GetEnergyIntervalAsync(_terms.Id, start, ct).ConfigureAwait(false))!;
        Plan(interval);
        _open[start] = true;
        _progress(interval.Clearing is not { TradedWh: > 0 } c
            ? $"energy {_terms.Id} {Span(start)} cleared: no offer met a bid"
            : string.Create(CultureInfo.InvariantCulture, $"energy {_terms.Id} {Span(start)} cleared at {Price(c.Price)}: {c.TradedWh} Wh traded") +
              (c.ExcessWh > 0
                ? string.Create(CultureInfo.InvariantCulture, $"; {c.UncappedWh} Wh would have traded, {c.ExcessWh} Wh more than the feeder carries: batteries absorb {c.FlexAcceptedWh} of the {c.FlexNeedWh} Wh flexibility need")
                : c.FlexAcceptedWh > 0 ? string.Create(CultureInfo.InvariantCulture, $"; batteries absorb {c.FlexAcceptedWh} Wh for the grid operator") : ""));
    }

    private async Task SettleAsync(ulong start, CancellationToken ct)
    {
        var code = await SubmitAsync(_operator, Operations.SettleInterval(_terms.Id, start), ct).ConfigureAwait(false);
        if (code == EnergyErrors.DataPending)
        {
            return; // the meters' readings past the interval are not anchored yet: next round
        }
        _open.Remove(start);
        if (code is not null and not EnergyErrors.Settled)
        {
            _progress($"energy {_terms.Id} {Span(start)}: settlement refused ({code})");
            return;
        }
        var interval = await _client.GetEnergyIntervalAsync(_terms.Id, start, ct).ConfigureAwait(false);
        if (interval?.Settlement is { } s)
        {
            _progress(string.Create(CultureInfo.InvariantCulture,
                $"energy {_terms.Id} {Span(start)} settled against {s.Meters} meters' anchored readings: {Amount(s.Energy)} for energy, {Amount(s.Flexibility)} to batteries, " +
                $"{Amount(s.Shortfalls)} for shortfalls: /energy/{_terms.Id}/{start}"));
        }
    }

    /// <summary>Tells each home what it sold and what its battery absorbs in a cleared interval.</summary>
    private void Plan(EnergyIntervalView interval)
    {
        foreach (var home in _neighbourhood.Homes)
        {
            home.Model.Plan(interval.Start, Neighbourhood.PlanOf(interval, home.Meter.Key.Address));
        }
    }

    /// <summary>Submits one tx and waits for it: null when it committed, else its code (a refused one gives its nonce back).</summary>
    private async Task<string?> SubmitAsync(Account signer, Operation operation, CancellationToken ct)
    {
        var tx = signer.Sign(operation);
        var result = (await _client.SubmitAsync([tx], wait: true, timeoutMs: 30_000, ct).ConfigureAwait(false)).Results[0];
        if (result.Status == TxState.Rejected)
        {
            signer.Rewind(tx.Nonce);
        }
        return result.Status == TxState.Committed ? null : result.Code ?? result.Status.ToString();
    }

    private string Price(ulong perKwh) => $"{TokenUnits.Format(perKwh, _decimals)} {_terms.Token}/kWh";

    private string Amount(string smallest) => $"{TokenUnits.Format(UInt128.Parse(smallest, CultureInfo.InvariantCulture), _decimals)} {_terms.Token}";

    private string Span(ulong start) =>
        string.Create(CultureInfo.InvariantCulture, $"{Neighbourhood.Time(start):HH:mm}–{Neighbourhood.Time(start + _terms.IntervalMs):HH:mm} UTC");
}
