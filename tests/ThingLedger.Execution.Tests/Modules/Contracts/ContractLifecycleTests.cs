using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Ledger;
using ThingLedger.Execution.Modules.Contracts;
using static ThingLedger.Execution.Tests.Modules.Contracts.TestContracts;

namespace ThingLedger.Execution.Tests.Modules.Contracts;

/// <summary>The lifecycle on a consortium of a, b, c validating (quorum 2) and d not: proposals, approvals, upgrades that keep state, freezing.</summary>
public sealed class ContractLifecycleTests
{
    private readonly TestChain _chain = TestChain.Consortium(validatorOrgs: 3, quorum: 2);
    private readonly KeyPair _user = KeyPair.Generate();

    private KeyPair Admin(int org) => _chain.Admins[org];

    private Receipt Submit<T>(KeyPair by, string operation, T payload) where T : Core.Codec.ICanonical =>
        _chain.Run(_chain.Tx(by, ContractsNames.ModuleName, operation, payload, gasLimit: 10_000_000));

    private Receipt Approve(KeyPair by, Hash proposal) => Submit(by, ContractsNames.Approve, new ApproveContractPayload(proposal));

    private Receipt Call(string method, byte[]? args = null) =>
        _chain.Run(_chain.Tx(_user, ContractsNames.ModuleName, ContractsNames.Call, new CallPayload("counter", method, args ?? [], "", 0)));

    private Hash Propose<T>(KeyPair by, string operation, T payload) where T : Core.Codec.ICanonical
    {
        var tx = _chain.Tx(by, ContractsNames.ModuleName, operation, payload, gasLimit: 10_000_000);
        var receipt = _chain.Run(tx);
        Assert.True(receipt.Succeeded, receipt.ErrorCode);
        return tx.Id;
    }

    private Hash DeployWithQuorum()
    {
        var proposal = Propose(Admin(0), ContractsNames.Deploy, TestContracts.Deploy());
        Assert.True(Approve(Admin(1), proposal).Succeeded);
        return proposal;
    }

    [Fact]
    public void A_deploy_without_the_approvals_does_not_take_effect()
    {
        var proposal = Propose(Admin(0), ContractsNames.Deploy, TestContracts.Deploy());
        Assert.Null(ContractsModule.ReadContract(_chain, "counter"));
        Assert.True(_chain.State.ContainsKey(ContractsModule.CodeKey(Hash.Sha256(Wasm(Counter)))));
        _chain.AssertRefused(ContractsErrors.NotFound, () => Call("add", U64(1)));

        var approved = Approve(Admin(2), proposal);
        Assert.True(approved.Succeeded, approved.ErrorCode);
        Assert.NotNull(Event(approved, "deployed"));
        Assert.True(Call("add", U64(1)).Succeeded);
        var version = ContractsModule.ReadVersion(_chain, "counter", 1)!;
        Assert.Equal(["a", "c"], version.Approvals);
        _chain.AssertRefused(ContractsErrors.ProposalClosed, () => Approve(Admin(1), proposal));
    }

    [Fact]
    public void An_approval_by_a_non_member_or_a_non_validating_member_is_refused()
    {
        var proposal = Propose(Admin(0), ContractsNames.Deploy, TestContracts.Deploy());
        Assert.Equal(ErrorCodes.Unauthorised, _chain.Machine.Admit(_chain.Tx(_user, ContractsNames.ModuleName, ContractsNames.Approve, new ApproveContractPayload(proposal), nonce: 1), _chain, _chain.Height));
        _chain.AssertRefused(ErrorCodes.Unauthorised, () => Approve(_user, proposal));
        _chain.AssertRefused(ErrorCodes.Unauthorised, () => Approve(Admin(3), proposal));
        _chain.AssertRefused(ContractsErrors.AlreadyApproved, () => Approve(Admin(0), proposal));
        _chain.AssertRefused(ContractsErrors.ProposalNotFound, () => Approve(Admin(1), Hash.Sha256([9])));
    }

    [Fact]
    public void An_upgrade_keeps_state_and_needs_the_same_quorum()
    {
        DeployWithQuorum();
        Assert.True(Call("add", U64(5)).Succeeded);
        var upgrade = Propose(Admin(1), ContractsNames.Upgrade, TestContracts.Deploy(version: "1.1.0", wat: Counter.Replace("\"by must be positive\"", "\"by must be above 0\"")));
        Assert.Equal("1.0.0", ContractsModule.ReadContract(_chain, "counter")!.Version);
        Assert.True(Approve(Admin(2), upgrade).Succeeded);
        var record = ContractsModule.ReadContract(_chain, "counter")!;
        Assert.Equal(("1.1.0", 2u), (record.Version, record.Versions));
        var total = _chain.Machine.Module<ContractsModule>().Query(_chain, _chain.Height, _chain.Clock, _user.Address, "counter", "get", [], 1_000_000);
        Assert.Equal(5UL, ReadU64(total.Output));
        _chain.AssertRefused(ContractsErrors.VersionInvalid, () => Submit(Admin(0), ContractsNames.Upgrade, TestContracts.Deploy(version: "1.2.0", wat: Counter.Replace("\"by must be positive\"", "\"by must be above 0\""))));
        _chain.AssertRefused(ContractsErrors.NotFound, () => Submit(Admin(0), ContractsNames.Upgrade, TestContracts.Deploy(name: "nobody")));
    }

    [Fact]
    public void A_frozen_contract_refuses_calls_until_unfrozen()
    {
        DeployWithQuorum();
        var freeze = Propose(Admin(0), ContractsNames.Freeze, new ContractNamePayload("counter"));
        Assert.True(Call("add", U64(1)).Succeeded);
        Assert.True(Approve(Admin(1), freeze).Succeeded);
        _chain.AssertRefused(ContractsErrors.Frozen, () => Call("add", U64(1)));
        _chain.AssertRefused(ContractsErrors.Frozen, () => Submit(Admin(0), ContractsNames.Freeze, new ContractNamePayload("counter")));
        var unfreeze = Propose(Admin(2), ContractsNames.Unfreeze, new ContractNamePayload("counter"));
        Assert.True(Approve(Admin(0), unfreeze).Succeeded);
        Assert.True(Call("add", U64(1)).Succeeded);
    }

    [Fact]
    public void A_second_deploy_of_a_taken_name_is_refused_when_enacted()
    {
        var first = Propose(Admin(0), ContractsNames.Deploy, TestContracts.Deploy());
        var second = Propose(Admin(1), ContractsNames.Deploy, TestContracts.Deploy(version: "2.0.0"));
        Assert.True(Approve(Admin(1), first).Succeeded);
        _chain.AssertRefused(ContractsErrors.Exists, () => Approve(Admin(0), second));
    }
}
