using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Carbon;
using ThingLedger.Execution.Modules.Market;
using ThingLedger.Execution.Modules.Tokens;

namespace ThingLedger.Execution.Tests.Modules;

/// <summary>
/// The market over a credit token CTEST0 (issued by a test module that stands in for carbon
/// issuance) and the payment token PAY. Every trader starts with 1,000 of each.
/// </summary>
public sealed class MarketModuleTests
{
    /// <summary>Creates CTEST0 as the carbon module would and issues it: the market trades any two tokens.</summary>
    private sealed class CreditIssuer(ITokenLedger tokens) : IModule
    {
        public string Name => "test-credits";

        public OperationTable Operations => _operations ??= new OperationTable().Add<TokenAmountPayload>("issue", TokenAmountPayload.Read, Issue, TestChain.Describe);

        private OperationTable? _operations;

        public void InitGenesis(Genesis genesis, StateView state)
        {
        }

        private Outcome Issue(TxContext context, TokenAmountPayload p)
        {
            if (tokens.Find(context.State, p.Symbol) is null)
            {
                tokens.CreateIssued(context, p.Symbol, "acme", "Test credits", CarbonModule.CreditDecimals);
            }
            return tokens.Issue(context, p.Symbol, p.To, p.Amount);
        }
    }

    private const string Credit = "CTEST0";
    private const string Pay = "PAY";

    private readonly TestChain _chain = new(c => new CreditIssuer(c.Tokens.Ledger));
    private readonly KeyPair[] _traders = [KeyPair.Generate(), KeyPair.Generate(), KeyPair.Generate(), KeyPair.Generate()];

    public MarketModuleTests()
    {
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload(Pay, "Payment", 0, Roles.Admin, 0))).Succeeded);
        foreach (var trader in _traders)
        {
            Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, "test-credits", "issue", new TokenAmountPayload(Credit, trader.Address, 1_000))).Succeeded);
            Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload(Pay, trader.Address, 1_000))).Succeeded);
        }
    }

    private Receipt Order(KeyPair trader, OrderSide side, long price, long amount, string @base = Credit, string quote = Pay) =>
        _chain.Run(_chain.Tx(trader, MarketModule.ModuleName, MarketModule.Place, new PlaceOrderPayload(@base, quote, side, price, amount)));

    private Receipt CancelBy(KeyPair trader, ulong order) =>
        _chain.Run(_chain.Tx(trader, MarketModule.ModuleName, MarketModule.Cancel, new CancelOrderPayload(order)));

    private UInt128 Balance(string symbol, KeyPair trader) => TokensModule.ReadBalance(_chain, symbol, trader.Address);

    private UInt128 Escrowed(string symbol) => TokensModule.ReadBalance(_chain, symbol, MarketModule.Escrow);

    /// <summary>The book side as "price:order,order…" per level, best first.</summary>
    private string[] Book(OrderSide side) =>
        [.. MarketModule.ReadBook(_chain, Credit, Pay, side).Levels.Select(l => $"{l.Price}:{string.Join(',', l.Orders)}")];

    private long[] Remaining(params ulong[] orders) => [.. orders.Select(o => MarketModule.ReadOrder(_chain, o)!.Remaining)];

    [Fact]
    public void A_buy_takes_the_best_asks_by_price_then_time_at_their_prices_and_gets_back_what_it_offered_above()
    {
        var (a, b, c, d) = (_traders[0], _traders[1], _traders[2], _traders[3]);
        Assert.True(Order(a, OrderSide.Sell, 10, 30).Succeeded); // order 1
        Assert.True(Order(b, OrderSide.Sell, 9, 20).Succeeded);  // order 2
        Assert.True(Order(c, OrderSide.Sell, 10, 30).Succeeded); // order 3
        Assert.Equal((UInt128)80, Escrowed(Credit));

        var buy = Order(d, OrderSide.Buy, 11, 70);
        Assert.True(buy.Succeeded, buy.ErrorCode);
        // 20 @ 9 from b, then 30 @ 10 from a (older), then 20 @ 10 from c.
        Assert.Equal([0L, 0L, 10L, 0L], Remaining(1, 2, 3, 4));
        Assert.Equal(OrderStatus.Filled, MarketModule.ReadOrder(_chain, 4)!.Status);
        Assert.Equal((UInt128)1_070, Balance(Credit, d));
        Assert.Equal((UInt128)(1_000 - (20 * 9) - (50 * 10)), Balance(Pay, d));
        Assert.Equal(((UInt128)1_300, (UInt128)1_180, (UInt128)1_200), (Balance(Pay, a), Balance(Pay, b), Balance(Pay, c)));
        Assert.Equal(((UInt128)10, UInt128.Zero), (Escrowed(Credit), Escrowed(Pay)));

        var trades = Enumerable.Range(1, 3).Select(n => MarketModule.ReadTrade(_chain, Credit, Pay, (ulong)n)!).ToList();
        Assert.Equal([(2ul, 9L, 20L), (1ul, 10L, 30L), (3ul, 10L, 20L)], trades.Select(t => (t.SellOrder, t.Price, t.Amount)));
        Assert.All(trades, t => Assert.Equal((4ul, d.Address, OrderSide.Buy), (t.BuyOrder, t.Buyer, t.Taker)));
        Assert.Equal(3, buy.Events.Count(e => e.Module == "market" && e.Name == "trade"));
        Assert.Equal(["10:3"], Book(OrderSide.Sell));
    }

    [Fact]
    public void A_sell_takes_the_best_bids_and_the_rest_of_a_bid_stays_escrowed_until_cancelled()
    {
        var (e, f, seller) = (_traders[0], _traders[1], _traders[2]);
        Assert.True(Order(f, OrderSide.Buy, 11, 40).Succeeded); // order 1
        Assert.True(Order(e, OrderSide.Buy, 12, 40).Succeeded); // order 2
        Assert.Equal(["12:2", "11:1"], Book(OrderSide.Buy));

        Assert.True(Order(seller, OrderSide.Sell, 10, 60).Succeeded);
        Assert.Equal([20L, 0L, 0L], Remaining(1, 2, 3));
        Assert.Equal((UInt128)(1_000 + (40 * 12) + (20 * 11)), Balance(Pay, seller));
        Assert.Equal(((UInt128)20 * 11, UInt128.Zero), (Escrowed(Pay), Escrowed(Credit)));

        _chain.AssertRefused(MarketErrors.NotOrderOwner, () => CancelBy(seller, 1));
        _chain.AssertRefused(MarketErrors.OrderNotFound, () => CancelBy(e, 2));
        _chain.AssertRefused(MarketErrors.OrderNotFound, () => CancelBy(e, 99));
        Assert.True(CancelBy(f, 1).Succeeded);
        Assert.Equal(OrderStatus.Cancelled, MarketModule.ReadOrder(_chain, 1)!.Status);
        Assert.Equal((UInt128)(1_000 - (20 * 11)), Balance(Pay, f));
        Assert.Equal(UInt128.Zero, Escrowed(Pay));
        Assert.Empty(Book(OrderSide.Buy));
        _chain.AssertRefused(MarketErrors.OrderNotFound, () => CancelBy(f, 1));
    }

    [Fact]
    public void Orders_with_zero_or_negative_price_or_amount_or_for_no_pair_are_refused()
    {
        var trader = _traders[0];
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Buy, 0, 10));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Buy, -5, 10));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Sell, 10, 0));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Sell, 10, -1));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, (OrderSide)7, 10, 1));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Buy, 10, 1, quote: Credit));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Buy, 10, 1, quote: "NOPE"));
        _chain.AssertRefused(MarketErrors.OrderInvalid, () => Order(trader, OrderSide.Buy, 10, 1, @base: "NOPE"));
        _chain.AssertRefused(TokensErrors.InsufficientBalance, () => Order(trader, OrderSide.Buy, 101, 10));
        _chain.AssertRefused(TokensErrors.InsufficientBalance, () => Order(trader, OrderSide.Sell, 1, 1_001));
        Assert.Equal(0ul, MarketModule.Count(_chain, MarketModule.OrderCountKey));
    }

    [Fact]
    public void Any_two_tokens_trade_not_only_credits()
    {
        // PAY (an organisation's token) priced in CTEST0, and two organisation tokens against each other.
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload("KWH", "Energy", 0, Roles.Admin, 0))).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload("KWH", _traders[0].Address, 50))).Succeeded);
        Assert.True(Order(_traders[0], OrderSide.Sell, 3, 50, @base: "KWH").Succeeded);
        Assert.True(Order(_traders[1], OrderSide.Buy, 3, 20, @base: "KWH").Succeeded);
        Assert.Equal((UInt128)20, Balance("KWH", _traders[1]));
        Assert.Equal((UInt128)1_060, Balance(Pay, _traders[0]));
        Assert.True(Order(_traders[2], OrderSide.Buy, 2, 5, @base: Pay, quote: Credit).Succeeded);
        Assert.Equal((UInt128)990, Balance(Credit, _traders[2]));
    }

    [Fact]
    public void An_order_that_would_cross_the_signers_own_resting_order_is_refused_whole()
    {
        var (trader, other) = (_traders[0], _traders[1]);
        Assert.True(Order(other, OrderSide.Sell, 9, 10).Succeeded);
        Assert.True(Order(trader, OrderSide.Sell, 10, 10).Succeeded);
        // Would take other's 10 @ 9 and then meet its own ask @ 10: nothing happens at all.
        _chain.AssertRefused(MarketErrors.SelfTrade, () => Order(trader, OrderSide.Buy, 10, 15));
        Assert.Equal([10L, 10L], Remaining(1, 2));
        // Not crossing its own ask, it trades with other and rests.
        Assert.True(Order(trader, OrderSide.Buy, 9, 15).Succeeded);
        Assert.Equal([0L, 10L, 5L], Remaining(1, 2, 3));
        Assert.Equal(["9:3"], Book(OrderSide.Buy));
    }

    [Fact]
    public void Credits_and_payment_add_up_across_holders_and_escrow_after_any_sequence_of_orders()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var trader = _traders[random.Next(_traders.Length)];
            if (random.Next(5) == 0 && MarketModule.Count(_chain, MarketModule.OrderCountKey) is var count and > 0)
            {
                CancelBy(trader, (ulong)random.Next(1, (int)count + 1));
                continue;
            }
            Order(trader, random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell, random.Next(5, 15), random.Next(1, 40));
        }
        foreach (var symbol in new[] { Credit, Pay })
        {
            var held = _traders.Aggregate(Escrowed(symbol), (sum, t) => sum + Balance(symbol, t));
            Assert.Equal(TokensModule.ReadToken(_chain, symbol)!.Supply, held);
            Assert.Equal((UInt128)4_000, held);
        }
        // What escrow holds is exactly what open orders could still spend.
        var open = Enumerable.Range(1, (int)MarketModule.Count(_chain, MarketModule.OrderCountKey))
            .Select(n => MarketModule.ReadOrder(_chain, (ulong)n)!).Where(o => o.Status == OrderStatus.Open).ToList();
        Assert.Equal(Escrowed(Credit), open.Where(o => o.Side == OrderSide.Sell).Aggregate(UInt128.Zero, (s, o) => s + (UInt128)o.Remaining));
        Assert.Equal(Escrowed(Pay), open.Where(o => o.Side == OrderSide.Buy).Aggregate(UInt128.Zero, (s, o) => s + ((UInt128)o.Remaining * (UInt128)o.Price)));
        // And the book never stays crossed.
        var bids = MarketModule.ReadBook(_chain, Credit, Pay, OrderSide.Buy).Levels;
        var asks = MarketModule.ReadBook(_chain, Credit, Pay, OrderSide.Sell).Levels;
        Assert.True(bids.Length == 0 || asks.Length == 0 || bids[0].Price < asks[0].Price);
    }
}
