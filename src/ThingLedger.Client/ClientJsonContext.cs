using System.Text.Json.Serialization;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Verification;

namespace ThingLedger.Client;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitRequest))]
[JsonSerializable(typeof(SubmitResponse))]
[JsonSerializable(typeof(TxView))]
[JsonSerializable(typeof(BlockView))]
[JsonSerializable(typeof(Page<BlockView>))]
[JsonSerializable(typeof(StateEntryView))]
[JsonSerializable(typeof(AccountView))]
[JsonSerializable(typeof(List<OrgView>))]
[JsonSerializable(typeof(Page<MemberView>))]
[JsonSerializable(typeof(MembershipView))]
[JsonSerializable(typeof(DeviceView))]
[JsonSerializable(typeof(Page<DeviceView>))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(List<TokenView>))]
[JsonSerializable(typeof(BalanceView))]
[JsonSerializable(typeof(Page<BalanceView>))]
[JsonSerializable(typeof(Page<TxView>))]
[JsonSerializable(typeof(StatusView))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(FinalityView))]
[JsonSerializable(typeof(NetworkStatusView))]
[JsonSerializable(typeof(BlockEvent))]
[JsonSerializable(typeof(ProofDocument))]
[JsonSerializable(typeof(ProblemView))]
[JsonSerializable(typeof(ReadingUploadJson))]
[JsonSerializable(typeof(ReadingUploadResponse))]
[JsonSerializable(typeof(ReadingView))]
[JsonSerializable(typeof(Page<ReadingView>))]
[JsonSerializable(typeof(SchemaView))]
[JsonSerializable(typeof(List<SchemaView>))]
[JsonSerializable(typeof(TelemetryStatusView))]
public sealed partial class ClientJsonContext : JsonSerializerContext;
