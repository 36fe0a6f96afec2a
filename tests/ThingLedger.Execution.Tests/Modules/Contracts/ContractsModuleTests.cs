using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Contracts;
using ThingLedger.Execution.Modules.Tokens;
using static ThingLedger.Execution.Tests.Modules.Contracts.TestContracts;

namespace ThingLedger.Execution.Tests.Modules.Contracts;

/// <summary>The contracts module on a solo chain (acme's admin is its quorum): deploy, call, query, and every bad input the ABI must refuse.</summary>
public sealed class ContractsModuleTests
{
    private readonly TestChain _chain = new();
    private readonly KeyPair _user = KeyPair.Generate();

    private Receipt Deploy(DeployPayload payload, KeyPair? by = null) =>
        _chain.Run(_chain.Tx(by ?? _chain.AcmeAdmin, ContractsNames.ModuleName, ContractsNames.Deploy, payload, gasLimit: 10_000_000));

    private Receipt Call(string method, byte[]? args = null, KeyPair? by = null, ulong gas = Gas.DefaultTxLimit, string contract = "counter", string token = "", UInt128 amount = default) =>
        _chain.Run(_chain.Tx(by ?? _user, ContractsNames.ModuleName, ContractsNames.Call, new CallPayload(contract, method, args ?? [], token, amount), gasLimit: gas));

    private ContractsModule Module => _chain.Machine.Module<ContractsModule>();

    private QueryResult Query(string method, byte[]? args = null) =>
        Module.Query(_chain, _chain.Height, _chain.Clock, _user.Address, "counter", method, args ?? [], 1_000_000);

    private Receipt DeployCounter()
    {
        var receipt = Deploy(TestContracts.Deploy());
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return receipt;
    }

    [Fact]
    public void A_solo_admin_deploys_at_once_and_anyone_calls_it()
    {
        var deployed = DeployCounter();
        Assert.NotNull(Event(deployed, "deployed"));
        var record = ContractsModule.ReadContract(_chain, "counter")!;
        Assert.Equal("1.0.0", record.Version);
        Assert.Equal(ContractsModule.AddressOf("counter"), record.Address);

        var first = Call("add", U64(5));
        Assert.True(first.Succeeded, first.ErrorCode);
        var added = Event(first, "event")!;
        Assert.Equal("added", added["event"]);
        Assert.Equal("5", added["by"]);
        Assert.Equal("5", added["total"]);
        Assert.True(Call("add", U64(7)).Succeeded);

        var total = Query("get");
        Assert.True(total.Outcome.Succeeded, total.Outcome.ErrorCode);
        Assert.Equal(12UL, ReadU64(total.Output));
    }

    [Fact]
    public void The_same_call_uses_the_same_gas_every_time()
    {
        DeployCounter();
        Assert.True(Call("add", U64(1)).Succeeded);
        var a = Call("add", U64(1));
        var b = Call("add", U64(1));
        Assert.True(a.Succeeded && b.Succeeded);
        Assert.Equal(a.GasUsed, b.GasUsed);
        Assert.True(a.GasUsed > ContractsModuleGas.Floor);
    }

    [Fact]
    public void Bytes_that_are_not_WebAssembly_are_refused()
    {
        _chain.AssertRefused(ContractsErrors.WasmInvalid, () => Deploy(TestContracts.Deploy() with { Code = [0x00, 0x61, 0x73, 0x6d, 0x09, 0x09] }));
        _chain.AssertRefused(ContractsErrors.WasmInvalid, () => Deploy(TestContracts.Deploy() with { Code = [1, 2, 3] }));
    }

    [Fact]
    public void A_module_importing_a_function_the_host_lacks_is_refused()
    {
        const string wat = """(module (import "thingledger_v1" "clock" (func (result i64))) (memory (export "memory") 1) (func (export "get")))""";
        var metadata = new ContractMetadata("", [new("get", true, [], [])], []);
        _chain.AssertRefused(ContractsErrors.ImportUnknown, () => Deploy(TestContracts.Deploy(wat: wat, metadata: metadata)));
        const string wasi = """(module (import "wasi_snapshot_preview1" "random_get" (func (param i32 i32) (result i32))) (memory (export "memory") 1) (func (export "get")))""";
        _chain.AssertRefused(ContractsErrors.ImportUnknown, () => Deploy(TestContracts.Deploy(wat: wasi, metadata: metadata)));
        const string wrongSignature = """(module (import "thingledger_v1" "block_height" (func (result i32))) (memory (export "memory") 1) (func (export "get")))""";
        _chain.AssertRefused(ContractsErrors.ImportUnknown, () => Deploy(TestContracts.Deploy(wat: wrongSignature, metadata: metadata)));
    }

    [Fact]
    public void A_module_exporting_none_of_its_methods_is_refused()
    {
        const string wat = """(module (memory (export "memory") 1) (func (export "other")))""";
        _chain.AssertRefused(ContractsErrors.ExportMissing, () => Deploy(TestContracts.Deploy(wat: wat)));
        const string noMemory = """(module (func (export "get")))""";
        _chain.AssertRefused(ContractsErrors.ExportMissing, () => Deploy(TestContracts.Deploy(wat: noMemory, metadata: new ContractMetadata("", [new("get", true, [], [])], []))));
    }

    [Fact]
    public void Code_over_the_size_limit_is_refused()
    {
        var big = $"""(module (memory (export "memory") 1) (data (i32.const 0) "{new string('x', 25_000)}") (func (export "get")))""";
        _chain.AssertRefused(ContractsErrors.CodeTooLarge, () => Deploy(TestContracts.Deploy(wat: big, metadata: new ContractMetadata("", [new("get", true, [], [])], []))));
    }

    [Fact]
    public void A_module_asking_for_more_memory_than_the_cap_is_refused()
    {
        const string wat = """(module (memory (export "memory") 300) (func (export "get")))""";
        _chain.AssertRefused(ContractsErrors.MemoryTooLarge, () => Deploy(TestContracts.Deploy(wat: wat, metadata: new ContractMetadata("", [new("get", true, [], [])], []))));
    }

    [Fact]
    public void An_infinite_loop_stops_at_the_gas_limit_with_state_unchanged_and_gas_charged()
    {
        DeployCounter();
        Receipt? receipt = null;
        _chain.AssertRefused(ErrorCodes.OutOfGas, () => receipt = Call("spin", gas: 200_000));
        Assert.Equal(200_000UL, receipt!.GasUsed);
    }

    [Fact]
    public void A_memory_bomb_is_refused_at_the_cap()
    {
        DeployCounter();
        Receipt? receipt = null;
        _chain.AssertRefused(ContractsErrors.Trapped, () => receipt = Call("bomb"));
        Assert.Equal("unreachable", receipt!.Events.Single()["trap"]);
        Assert.True(Query("grow").Outcome.Succeeded);
    }

    [Fact]
    public void Deep_recursion_traps_with_state_unchanged()
    {
        DeployCounter();
        Receipt? receipt = null;
        _chain.AssertRefused(ContractsErrors.Trapped, () => receipt = Call("deep", gas: 100_000_000));
        Assert.Equal("stack overflow", receipt!.Events.Single()["trap"]);
    }

    [Fact]
    public void A_contract_cannot_write_outside_its_namespace()
    {
        DeployCounter();
        var before = _chain.State.Keys.Where(k => !k.StartsWith("contracts/", StringComparison.Ordinal) && !k.StartsWith("core/nonce/", StringComparison.Ordinal)).ToList();
        Assert.True(Call("escape").Succeeded);
        // The key it named ("tokens/balance/PAY") is stored, hex-encoded, under its own prefix, and nothing outside changed.
        Assert.Contains(ContractsModule.StoreKey("counter", "tokens/balance/PAY"u8), _chain.State.Keys);
        var after = _chain.State.Keys.Where(k => !k.StartsWith("contracts/", StringComparison.Ordinal) && !k.StartsWith("core/nonce/", StringComparison.Ordinal)).ToList();
        Assert.Equal(before, after);
        Assert.All(_chain.State.Keys.Where(k => k.StartsWith("contracts/store/", StringComparison.Ordinal)), k => Assert.StartsWith(ContractsModule.StorePrefix("counter"), k));
    }

    [Fact]
    public void Arguments_that_do_not_decode_are_refused()
    {
        DeployCounter();
        _chain.AssertRefused(ContractsErrors.ArgsInvalid, () => Call("add", [1, 2, 3]));
        _chain.AssertRefused(ContractsErrors.ArgsInvalid, () => Call("add", [.. U64(1), 0]));
        _chain.AssertRefused(ContractsErrors.MethodUnknown, () => Call("nope"));
        _chain.AssertRefused(ContractsErrors.NotFound, () => Call("add", U64(1), contract: "nobody"));
    }

    [Fact]
    public void A_revert_carries_the_contracts_code_and_message()
    {
        DeployCounter();
        Receipt? receipt = null;
        _chain.AssertRefused(ContractsErrors.Reverted, () => receipt = Call("add", U64(0)));
        var why = receipt!.Events.Single();
        Assert.Equal("NEGATIVE", why["code"]);
        Assert.Equal("by must be positive", why["message"]);
    }

    [Fact]
    public void A_contract_calling_itself_is_refused_as_reentrant()
    {
        DeployCounter();
        _chain.AssertRefused(ContractsErrors.Reentrant, () => Call("again"));
    }

    [Fact]
    public void An_undeclared_event_is_refused()
    {
        DeployCounter();
        _chain.AssertRefused(ContractsErrors.EventInvalid, () => Call("noise"));
        // More events than a receipt holds (64) end the call rather than produce a receipt nobody could read.
        _chain.AssertRefused(ContractsErrors.EventInvalid, () => Call("flood", gas: 10_000_000));
    }

    [Fact]
    public void A_query_cannot_write()
    {
        DeployCounter();
        Assert.Equal(ContractsErrors.ReadOnly, Query("add", U64(1)).Outcome.ErrorCode);
        Assert.Equal(0UL, ReadU64(Query("get").Output));
    }

    [Fact]
    public void Storage_iterates_the_contracts_keys()
    {
        DeployCounter();
        Assert.True(Call("add", U64(1)).Succeeded);
        Assert.True(Call("escape").Succeeded);
        Assert.Equal(2UL, ReadU64(Query("keys").Output));
    }

    [Fact]
    public void A_deposit_is_held_by_the_contract_and_paid_out_by_it()
    {
        DeployCounter();
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Create, new CreateTokenPayload("PAY", "Payment", 0, Roles.Admin, 0))).Succeeded);
        Assert.True(_chain.Run(_chain.Tx(_chain.AcmeAdmin, TokensModule.ModuleName, TokensModule.Mint, new TokenAmountPayload("PAY", _user.Address, 100))).Succeeded);
        Assert.True(Call("add", U64(1), token: "PAY", amount: 40).Succeeded);
        var contract = ContractsModule.AddressOf("counter");
        Assert.Equal((UInt128)40, TokensModule.ReadBalance(_chain, "PAY", contract));

        var friend = KeyPair.Generate();
        var paid = Call("pay", [.. friend.Address.ToArray(), .. new byte[15], 30]);
        Assert.True(paid.Succeeded, paid.ErrorCode);
        Assert.Equal((UInt128)30, TokensModule.ReadBalance(_chain, "PAY", friend.Address));
        Assert.Equal((UInt128)10, TokensModule.ReadBalance(_chain, "PAY", contract));

        // Short of funds: the contract is told (status 1) and nothing moves; a deposit the signer cannot cover fails the call.
        var shortPaid = Call("pay", [.. friend.Address.ToArray(), .. new byte[15], 11]);
        Assert.True(shortPaid.Succeeded, shortPaid.ErrorCode);
        Assert.Equal((UInt128)10, TokensModule.ReadBalance(_chain, "PAY", contract));
        var failedDeposit = Call("add", U64(1), token: "PAY", amount: 1_000);
        Assert.Equal(TokensErrors.InsufficientBalance, failedDeposit.ErrorCode);
    }

    [Fact]
    public void A_non_member_cannot_deploy_and_a_member_without_admin_role_cannot_either()
    {
        Assert.Equal(ErrorCodes.Unauthorised, _chain.Machine.Admit(_chain.Tx(_user, ContractsNames.ModuleName, ContractsNames.Deploy, TestContracts.Deploy(), nonce: 1), _chain, _chain.Height));
        _chain.AssertRefused(ErrorCodes.Unauthorised, () => Deploy(TestContracts.Deploy(), by: _user));
    }

    [Fact]
    public void A_call_policy_admits_only_whom_it_names()
    {
        Assert.True(Deploy(TestContracts.Deploy(policy: CallPolicy.Orgs, orgs: ["acme"])).Succeeded);
        _chain.AssertRefused(ContractsErrors.CallRefused, () => Call("add", U64(1)));
        Assert.True(Call("add", U64(1), by: _chain.AcmeAdmin).Succeeded);
        _chain.AssertRefused(ErrorCodes.InvalidArgument, () => Deploy(TestContracts.Deploy(name: "other", policy: CallPolicy.Orgs)));
    }

    [Fact]
    public void Metadata_that_does_not_describe_a_contract_is_refused()
    {
        var twice = new ContractMetadata("", [new("get", true, [], []), new("get", true, [], [])], []);
        _chain.AssertRefused(ContractsErrors.MetadataInvalid, () => Deploy(TestContracts.Deploy(metadata: twice)));
        var reserved = new ContractMetadata("", [new("get", true, [], [])], [new("e", [new("contract", ContractType.U64)])]);
        _chain.AssertRefused(ContractsErrors.MetadataInvalid, () => Deploy(TestContracts.Deploy(metadata: reserved)));
        _chain.AssertRefused(ContractsErrors.NameInvalid, () => Deploy(TestContracts.Deploy(name: "Bad Name")));
    }
}

/// <summary>Gas figures the tests compare against.</summary>
internal static class ContractsModuleGas
{
    /// <summary>A call costs at least the tx's base cost and the instance.</summary>
    public const ulong Floor = Gas.Base + 2_000;
}
