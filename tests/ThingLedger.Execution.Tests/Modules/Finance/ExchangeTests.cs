using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Finance;
using static ThingLedger.Execution.Tests.Modules.Finance.FinanceTestChain;

namespace ThingLedger.Execution.Tests.Modules.Finance;

/// <summary>A market maker's quotes, swaps that move both legs or neither, and netting of a clearing's obligations.</summary>
public sealed class ExchangeTests
{
    private readonly FinanceTestChain _f = new();
    private readonly KeyPair _maker = KeyPair.Generate();
    private readonly KeyPair _taker = KeyPair.Generate();

    private ulong QuoteNumber(Receipt receipt) => ulong.Parse(Events(receipt, "quoted").Single()["quote"]!, System.Globalization.CultureInfo.InvariantCulture);

    private ulong Quote(UInt128 max, Address? taker = null, ulong numerator = 78, ulong denominator = 10) =>
        QuoteNumber(_f.Ok(_maker, FinanceNames.Quote, new QuotePayload(Eur, Cny, numerator, denominator, max, _f.Now + 1_000, taker)));

    [Fact]
    public void A_swap_moves_both_currencies_at_the_quoted_rate_in_one_tx()
    {
        _f.Fund(Eur, _taker, 1_000);
        _f.Fund(Cny, _maker, 100_000);
        var quote = Quote(500);
        var swap = _f.Ok(_taker, FinanceNames.Swap, new SwapPayload(quote, 333));
        Assert.Equal("2597", Events(swap, "swapped").Single()["quote-amount"]); // ⌊333 × 78 / 10⌋
        Assert.Equal(((UInt128)667, (UInt128)2_597), (_f.Balance(_taker, Eur), _f.Balance(_taker, Cny)));
        Assert.Equal(((UInt128)333, (UInt128)(100_000 - 2_597)), (_f.Balance(_maker, Eur), _f.Balance(_maker, Cny)));
        Assert.Equal((UInt128)333, FinanceModule.ReadQuote(_f.Chain, quote)!.Taken);
        _f.Refused(FinanceErrors.QuoteExceeded, _taker, FinanceNames.Swap, new SwapPayload(quote, 168));
        _f.Ok(_taker, FinanceNames.Swap, new SwapPayload(quote, 167));
    }

    [Fact]
    public void Bad_swaps_move_neither_leg()
    {
        _f.Fund(Eur, _taker, 100);
        _f.Fund(Cny, _maker, 500);
        var quote = Quote(1_000);
        // The taker lacks the base; then the maker lacks the counter-currency: the detail names the side.
        _f.Refused(FinanceErrors.SwapUnfunded, _taker, FinanceNames.Swap, new SwapPayload(quote, 101));
        var makerShort = _f.Run(_taker, FinanceNames.Swap, new SwapPayload(quote, 100));
        Assert.Equal(FinanceErrors.SwapUnfunded, makerShort.ErrorCode);
        Assert.Equal("maker", makerShort.Events.Single(e => e.Name == "swap-unfunded")["side"]);
        Assert.Equal(((UInt128)100, UInt128.Zero), (_f.Balance(_taker, Eur), _f.Balance(_taker, Cny)));

        _f.Refused(FinanceErrors.NotQuoteTaker, _maker, FinanceNames.Swap, new SwapPayload(quote, 1));
        var private_ = Quote(10, taker: KeyPair.Generate().Address);
        _f.Refused(FinanceErrors.NotQuoteTaker, _taker, FinanceNames.Swap, new SwapPayload(private_, 1));
        _f.Refused(FinanceErrors.QuoteInvalid, _taker, FinanceNames.Swap, new SwapPayload(Quote(10, numerator: 1, denominator: 1_000), 1)); // rounds to zero
        _f.Refused(FinanceErrors.QuoteNotFound, _taker, FinanceNames.Swap, new SwapPayload(999, 1));
        _f.Refused(FinanceErrors.AmountOverflow, _maker, FinanceNames.Quote, new QuotePayload(Eur, Cny, ulong.MaxValue, 1, UInt128.MaxValue / 2, _f.Now + 10, null));
        _f.Refused(FinanceErrors.QuoteInvalid, _maker, FinanceNames.Quote, new QuotePayload(Eur, Eur, 1, 1, 10, _f.Now + 10, null));
        _f.Refused(FinanceErrors.QuoteInvalid, _maker, FinanceNames.Quote, new QuotePayload(Eur, Cny, 1, 0, 10, _f.Now + 10, null));
        _f.Chain.Clock += 2_000;
        _f.Refused(FinanceErrors.QuoteExpired, _taker, FinanceNames.Swap, new SwapPayload(quote, 1));
    }

    [Fact]
    public void Netting_settles_a_clearing_in_fewer_transfers_than_obligations_and_every_participant_ends_at_its_net_position()
    {
        var banks = Enumerable.Range(0, 4).Select(_ => KeyPair.Generate()).ToArray();
        foreach (var bank in banks)
        {
            _f.Fund(Cny, bank, 10_000);
        }
        _f.Ok(_f.Chain.AcmeAdmin, FinanceNames.Clearing, new ClearingPayload("cny-day-1", Cny, _f.Now + 100));
        // A cycle that nets to little: 0→1 500, 1→2 500, 2→3 500, 3→0 400, 0→2 100.
        foreach (var (from, to, amount) in new[] { (0, 1, 500), (1, 2, 500), (2, 3, 500), (3, 0, 400), (0, 2, 100) })
        {
            _f.Ok(banks[from], FinanceNames.Oblige, new ObligePayload("cny-day-1", banks[to].Address, (UInt128)amount));
        }
        var clearing = FinanceModule.ReadClearing(_f.Chain, "cny-day-1")!;
        Assert.Equal((5ul, 4u, (UInt128)2_000), (clearing.Obligations, clearing.Participants, clearing.Gross));
        var plan = FinanceNetting.Plan(FinanceModule.Positions(_f.Chain, clearing), out _)!;
        _f.Refused(FinanceErrors.ClearingOpen, banks[0], FinanceNames.Net, new NetPayload("cny-day-1", FinanceNetting.Digest(plan)));

        _f.Chain.Clock += 200;
        _f.Refused(FinanceErrors.ClearingClosed, banks[0], FinanceNames.Oblige, new ObligePayload("cny-day-1", banks[1].Address, 1));
        _f.Refused(FinanceErrors.NettingMismatch, banks[0], FinanceNames.Net, new NetPayload("cny-day-1", FinanceNetting.Digest([.. plan.Skip(1)])));
        var netted = _f.Ok(banks[2], FinanceNames.Net, new NetPayload("cny-day-1", FinanceNetting.Digest(plan)));
        // Net: 0 = -200, 1 = 0, 2 = +100, 3 = +100 → two transfers instead of five obligations.
        Assert.Equal("2", Events(netted, "netted").Single()["transfers"]);
        Assert.Equal([(UInt128)9_800, 10_000, 10_100, 10_100], banks.Select(b => _f.Balance(b)));
        Assert.Equal(ClearingStatus.Netted, FinanceModule.ReadClearing(_f.Chain, "cny-day-1")!.Status);
        Assert.Equal(2, FinanceModule.ReadSettlement(_f.Chain, "cny-day-1")!.Transfers.Length);
        _f.Refused(FinanceErrors.ClearingClosed, banks[2], FinanceNames.Net, new NetPayload("cny-day-1", FinanceNetting.Digest(plan)));
    }

    [Fact]
    public void A_netting_with_an_unfunded_debtor_moves_nothing_and_names_the_debtor()
    {
        var (rich, poor) = (KeyPair.Generate(), KeyPair.Generate());
        _f.Fund(Cny, rich, 1_000);
        _f.Ok(_f.Chain.AcmeAdmin, FinanceNames.Clearing, new ClearingPayload("c2", Cny, _f.Now + 50));
        _f.Ok(rich, FinanceNames.Oblige, new ObligePayload("c2", poor.Address, 100));
        _f.Ok(poor, FinanceNames.Oblige, new ObligePayload("c2", rich.Address, 300));
        _f.Chain.Clock += 100;
        var clearing = FinanceModule.ReadClearing(_f.Chain, "c2")!;
        var digest = FinanceNetting.Digest(FinanceNetting.Plan(FinanceModule.Positions(_f.Chain, clearing), out _)!);
        _f.Refused(FinanceErrors.NetUnfunded, rich, FinanceNames.Net, new NetPayload("c2", digest));
        Assert.Equal(poor.Address.ToString(), _f.Run(rich, FinanceNames.Net, new NetPayload("c2", digest)).Events.Single(e => e.Name == "net-unfunded")["debtor"]);
        _f.Fund(Cny, poor, 200);
        _f.Ok(rich, FinanceNames.Net, new NetPayload("c2", digest));
        Assert.Equal(((UInt128)1_200, UInt128.Zero), (_f.Balance(rich), _f.Balance(poor)));
    }

    [Fact]
    public void Bad_clearing_input_is_refused()
    {
        var member = _f.Chain.AcmeAdmin;
        _f.Refused(ErrorCodes.Unauthorised, KeyPair.Generate(), FinanceNames.Clearing, new ClearingPayload("x", Cny, _f.Now + 50));
        _f.Refused(FinanceErrors.ClearingInvalid, member, FinanceNames.Clearing, new ClearingPayload("x y", Cny, _f.Now + 50));
        _f.Refused(FinanceErrors.ClearingInvalid, member, FinanceNames.Clearing, new ClearingPayload("x", Cny, _f.Now));
        _f.Ok(member, FinanceNames.Clearing, new ClearingPayload("x", Cny, _f.Now + 50));
        _f.Refused(FinanceErrors.ClearingExists, member, FinanceNames.Clearing, new ClearingPayload("x", Cny, _f.Now + 50));
        _f.Refused(FinanceErrors.ClearingNotFound, _taker, FinanceNames.Oblige, new ObligePayload("y", _maker.Address, 1));
        _f.Refused(FinanceErrors.ClearingInvalid, _taker, FinanceNames.Oblige, new ObligePayload("x", _taker.Address, 1));
        _f.Refused(FinanceErrors.ClearingInvalid, _taker, FinanceNames.Oblige, new ObligePayload("x", _maker.Address, 0));
        _f.Ok(_taker, FinanceNames.Oblige, new ObligePayload("x", _maker.Address, UInt128.MaxValue - 5));
        _f.Refused(FinanceErrors.AmountOverflow, _taker, FinanceNames.Oblige, new ObligePayload("x", _maker.Address, 6));
    }

    [Fact]
    public void The_planner_refuses_positions_that_do_not_balance_and_never_makes_more_transfers_than_participants_less_one()
    {
        var a = KeyPair.Generate().Address;
        var b = KeyPair.Generate().Address;
        Assert.Null(FinanceNetting.Plan([new(a, 100, 0), new(b, 0, 99)], out var error));
        Assert.Equal(FinanceErrors.NettingUnbalanced, error);
        Assert.Null(FinanceNetting.Plan([new(a, 100, 0), new(a, 0, 100)], out error));
        Assert.Equal(FinanceErrors.NettingUnbalanced, error);

        var random = new Random(7);
        var participants = Enumerable.Range(0, 50).Select(_ => KeyPair.Generate().Address).ToArray();
        var credits = new UInt128[50];
        var debits = new UInt128[50];
        for (var i = 0; i < 2_000; i++)
        {
            int from = random.Next(50), to = random.Next(50);
            if (from != to)
            {
                var amount = (UInt128)random.Next(1, 1_000);
                debits[from] += amount;
                credits[to] += amount;
            }
        }
        var plan = FinanceNetting.Plan(participants.Select((p, i) => new FinanceNetting.Position(p, credits[i], debits[i])), out error)!;
        Assert.Null(error);
        Assert.True(plan.Count <= 49);
        // Applying the plan leaves every participant at exactly its net position.
        for (var i = 0; i < 50; i++)
        {
            var received = plan.Where(t => t.To == participants[i]).Aggregate(UInt128.Zero, (s, t) => s + t.Amount);
            var sent = plan.Where(t => t.From == participants[i]).Aggregate(UInt128.Zero, (s, t) => s + t.Amount);
            Assert.Equal(credits[i] + sent, debits[i] + received);
        }
    }
}
