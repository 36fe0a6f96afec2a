using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node.Telemetry.Mqtt;

namespace ThingLedger.Node.Tests;

/// <summary>Devices over MQTT: the broker in the node, its authentication, topics, acknowledgements and limits.</summary>
public sealed class MqttTests : IAsyncLifetime
{
    private TelemetryFixture _fixture = null!;

    /// <summary>Limits small enough to reach in a test.</summary>
    private static Action<IWebHostBuilder> Limits(int messagesPerSecond = 1_000, int burst = 1_000, int maxBytes = 1024 * 1024, int connectTimeoutMs = 10_000) => b =>
    {
        b.UseSetting("Node:Mqtt:MessagesPerSecond", messagesPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        b.UseSetting("Node:Mqtt:MessageBurst", burst.ToString(System.Globalization.CultureInfo.InvariantCulture));
        b.UseSetting("Node:Mqtt:MaxMessageBytes", maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        b.UseSetting("Node:Mqtt:ConnectTimeoutMs", connectTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
    };

    public async Task InitializeAsync()
    {
        _fixture = new TelemetryFixture(new TestNode { Configure = Limits(messagesPerSecond: 5, burst: 8, maxBytes: 2 * 1024, connectTimeoutMs: 1_500) });
        await _fixture.InitializeAsync();
    }

    public Task DisposeAsync() => _fixture.DisposeAsync();

    private TestNode Node => _fixture.Node;

    private int Port => Node.Services.GetRequiredService<MqttBroker>().Port;

    private string ChainId => Node.Genesis.ChainId;

    private DeviceMqttOptions Options(KeyPair key, string? label = null) => new("127.0.0.1", Port, ChainId, key, Label: label);

    private async Task<List<ReadingView>> HistoryAsync(Address device)
    {
        using var client = Node.Client();
        return (await client.GetReadingHistoryAsync(device)).Items;
    }

    [Fact]
    public async Task A_device_batch_over_mqtt_is_stored_before_its_puback_and_answered_like_http()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        await using var device = await DeviceMqttClient.ConnectAsync(Options(key));
        var batch = signer.SignBatch([_fixture.EvReading(signer), _fixture.EvReading(signer), _fixture.EvReading(signer)]);

        var result = await device.UploadAsync([], [batch]);

        Assert.True(result.Stored);
        Assert.Equal((int)MqttPubAckReasonCode.Success, result.ReasonCode);
        Assert.Equal(3, result.Response!.Accepted);
        Assert.All(result.Response.Results, r => Assert.Equal(ReadingUploadStatus.Accepted, r.Status));
        // The PUBACK came after the readings were durable: they are there at once.
        Assert.Equal([3UL, 2UL, 1UL], (await HistoryAsync(key.Address)).Select(r => r.Seq));

        using var http = Node.Client();
        var endpoint = await http.GetMqttEndpointAsync();
        Assert.Equal(Port, endpoint.Port);
        Assert.Equal($"tl/{ChainId}/d/", endpoint.TopicPrefix);
        Assert.Equal(1, endpoint.DevicesConnected);

        // The explorer's device page says the device is connected and when it last sent.
        var page = await Node.CreateClient().GetStringAsync($"/devices/{key.Address}");
        Assert.Contains("data-mqtt-connected", page, StringComparison.Ordinal);
        Assert.Contains("data-mqtt-last", page, StringComparison.Ordinal);
        await device.DisconnectAsync();
        await WaitUntil(() => Node.Services.GetRequiredService<MqttPresence>().Clients(key.Address).Length == 0);
        page = await Node.CreateClient().GetStringAsync($"/devices/{key.Address}");
        Assert.DoesNotContain("data-mqtt-connected", page, StringComparison.Ordinal);
        Assert.Contains("not connected", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_json_form_is_taken_by_content_type_and_a_partly_refused_message_says_which_readings()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        await using var device = await DeviceMqttClient.ConnectAsync(Options(key));
        var good = signer.Sign(_fixture.EvReading(signer));
        var skewed = signer.Sign(_fixture.EvReading(signer, TelemetryFixture.Now + 3_600_000));
        var json = JsonSerializer.SerializeToUtf8Bytes(
            new ReadingUploadJson([ReadingJsonMapper.ToJson(good.Reading, _fixture.Ev, good.Signature), ReadingJsonMapper.ToJson(skewed.Reading, _fixture.Ev, skewed.Signature)], null), TelemetryJson.Default.ReadingUploadJson);

        var result = await device.PublishAsync(json, "application/json");

        Assert.Equal((int)MqttPubAckReasonCode.ImplementationSpecificError, result.ReasonCode);
        Assert.Equal(1, result.Response!.Accepted);
        Assert.Equal(TelemetryErrors.ReadingTimeSkew, Assert.Single(result.Response.Results, r => r.Status == ReadingUploadStatus.Rejected).Code);
        Assert.Single(await HistoryAsync(key.Address));
    }

    [Fact]
    public async Task An_mqtt_3_1_1_client_publishes_binary_readings_and_a_resent_message_counts_once()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        var results = Collect(client);
        await client.ConnectAsync(RawOptions(key, MqttProtocolVersion.V311));
        var topics = new MqttTopics(ChainId, key.Address);
        await client.SubscribeAsync(topics.Results, MqttQualityOfServiceLevel.AtLeastOnce);
        var payload = Canonical.Encode(new ReadingUpload([signer.Sign(_fixture.EvReading(signer))], []));

        var first = await client.PublishAsync(Publish(topics.Readings, payload));
        var again = await client.PublishAsync(Publish(topics.Readings, payload));

        Assert.True(first.IsSuccess);
        Assert.True(again.IsSuccess);
        await WaitUntil(() => results.Count == 2);
        Assert.Equal(1, Response(results[0]).Accepted);
        Assert.Equal(1, Response(results[1]).Duplicates);
        Assert.Single(await HistoryAsync(key.Address));
    }

    [Fact]
    public async Task A_message_resent_after_the_connection_dropped_before_its_puback_is_answered_duplicate()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        await using var proxy = new PubAckDroppingProxy(Port);
        await using var device = await DeviceMqttClient.ConnectAsync(Options(key) with { Port = proxy.Port, Timeout = TimeSpan.FromSeconds(3) });
        var batch = signer.SignBatch([_fixture.EvReading(signer), _fixture.EvReading(signer)]);
        proxy.DropNextPubAck = true;

        var result = await device.UploadAsync([], [batch], attempts: 3);

        Assert.True(proxy.Dropped, "the proxy never saw the PUBACK it should drop");
        Assert.True(result.Stored);
        Assert.Equal(2, result.Response!.Duplicates);
        Assert.Equal(0, result.Response.Accepted);
        Assert.Equal(2, (await HistoryAsync(key.Address)).Count);
    }

    [Fact]
    public async Task A_connect_needs_a_registered_unrevoked_device_and_a_fresh_proof_of_its_key()
    {
        var (key, _) = await _fixture.NewDeviceAsync();
        using var stranger = KeyPair.Generate();
        var now = DateTimeOffset.UtcNow;

        await AssertRefused(MqttClientConnectResultCode.NotAuthorized, "DEVICE_NOT_FOUND", RawOptions(stranger));
        await AssertRefused(MqttClientConnectResultCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid,
            RawOptions(key, password: MqttConnectProof.Create(stranger, ChainId, now)));
        await AssertRefused(MqttClientConnectResultCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid,
            RawOptions(key, password: MqttConnectProof.Create(key, "another-chain", now)));
        await AssertRefused(MqttClientConnectResultCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid, RawOptions(key, password: "secret"));
        await AssertRefused(MqttClientConnectResultCode.BadUserNameOrPassword, TelemetryErrors.MqttProofStale,
            RawOptions(key, password: MqttConnectProof.Create(key, ChainId, now.AddMinutes(-10))));
        await AssertRefused(MqttClientConnectResultCode.ClientIdentifierNotValid, TelemetryErrors.MqttClientIdInvalid, RawOptions(key, clientId: "thermostat-7"));
        await AssertRefused(MqttClientConnectResultCode.ProtocolError, TelemetryErrors.MqttKeepAlive, RawOptions(key, keepAlive: 0));

        var used = MqttConnectProof.Create(key, ChainId, now);
        using (var first = new MqttClientFactory().CreateMqttClient())
        {
            Assert.Equal(MqttClientConnectResultCode.Success, (await first.ConnectAsync(RawOptions(key, password: used))).ResultCode);
        }
        await AssertRefused(MqttClientConnectResultCode.BadUserNameOrPassword, TelemetryErrors.MqttProofInvalid, RawOptions(key, password: used, clientId: key.Address + "-second"));

        await RevokeAsync(key.Address);
        await AssertRefused(MqttClientConnectResultCode.Banned, "DEVICE_REVOKED", RawOptions(key));
    }

    [Fact]
    public async Task A_revoked_device_is_disconnected_as_soon_as_its_revocation_commits()
    {
        var (key, _) = await _fixture.NewDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        var disconnected = new TaskCompletionSource<MqttClientDisconnectedEventArgs>();
        client.DisconnectedAsync += e =>
        {
            disconnected.TrySetResult(e);
            return Task.CompletedTask;
        };
        await client.ConnectAsync(RawOptions(key));

        await RevokeAsync(key.Address);

        var e = await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("DEVICE_REVOKED", e.ReasonString ?? "", StringComparison.Ordinal);
        await WaitUntil(() => Node.Services.GetRequiredService<MqttPresence>().Clients(key.Address).Length == 0);
    }

    [Fact]
    public async Task A_device_publishes_and_subscribes_only_on_its_own_topics()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        var (other, otherSigner) = await _fixture.NewDeviceAsync();
        using var client = await ConnectedAsync(key);
        var mine = new MqttTopics(ChainId, key.Address);
        var theirs = new MqttTopics(ChainId, other.Address);
        var theirReading = Canonical.Encode(new ReadingUpload([otherSigner.Sign(_fixture.EvReading(otherSigner))], []));
        var myReading = Canonical.Encode(new ReadingUpload([signer.Sign(_fixture.EvReading(signer))], []));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await client.PublishAsync(Publish(theirs.Readings, theirReading))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await client.PublishAsync(Publish(mine.Readings, theirReading))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await client.PublishAsync(Publish(mine.Results, myReading))).ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.TopicNameInvalid, (await client.PublishAsync(Publish("home/kitchen/temperature", myReading))).ReasonCode);
        var retained = Publish(mine.Readings, myReading);
        retained.Retain = true;
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, (await client.PublishAsync(retained)).ReasonCode);

        var refused = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(theirs.Results).WithTopicFilter($"tl/{ChainId}/d/#").WithTopicFilter(mine.Readings).Build());
        Assert.All(refused.Items, i => Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, i.ResultCode));
        var granted = await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(mine.Results).WithTopicFilter(mine.Receipts).Build());
        Assert.All(granted.Items, i => Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, i.ResultCode));

        Assert.Empty(await HistoryAsync(other.Address));
        Assert.Empty(await HistoryAsync(key.Address));
    }

    [Fact]
    public async Task Payloads_that_do_not_decode_are_too_large_or_at_qos_0_store_nothing_and_say_why()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        using var client = await ConnectedAsync(key);
        var topics = new MqttTopics(ChainId, key.Address);
        var results = Collect(client);
        await client.SubscribeAsync(topics.Results, MqttQualityOfServiceLevel.AtLeastOnce);

        var garbage = await client.PublishAsync(Publish(topics.Readings, [0x01, 0xFF, 0xFF, 0x07]));
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, garbage.ReasonCode);
        Assert.Equal("READINGS_MALFORMED", garbage.ReasonString);

        // 2 KiB is this node's limit; a batch of 64 readings is larger.
        var big = Canonical.Encode(new ReadingUpload([], [signer.SignBatch([.. Enumerable.Range(0, 64).Select(_ => _fixture.EvReading(signer))])]));
        Assert.True(big.Length > 2 * 1024, $"{big.Length} bytes");
        var tooLarge = await client.PublishAsync(Publish(topics.Readings, big));
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, tooLarge.ReasonCode);
        Assert.Equal(TelemetryErrors.MqttMessageTooLarge, tooLarge.ReasonString);

        var atMostOnce = Publish(topics.Readings, Canonical.Encode(new ReadingUpload([signer.Sign(_fixture.EvReading(signer))], [])));
        atMostOnce.QualityOfServiceLevel = MqttQualityOfServiceLevel.AtMostOnce;
        await client.PublishAsync(atMostOnce);

        await WaitUntil(() => results.Count == 3);
        Assert.Equal(["READINGS_MALFORMED", TelemetryErrors.MqttMessageTooLarge, TelemetryErrors.MqttQos0Refused], results.Select(r => Refusal(r).Code));
        Assert.Empty(await HistoryAsync(key.Address));
        Assert.True(client.IsConnected);

        // A packet announcing more than twice the limit closes the connection before it is read.
        var huge = new byte[20 * 1024];
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await client.PublishAsync(Publish(topics.Readings, huge));
            await client.PingAsync();
        });
        await WaitUntil(() => !client.IsConnected);
    }

    [Fact]
    public async Task A_flood_beyond_the_device_rate_is_refused_with_quota_exceeded()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        using var client = await ConnectedAsync(key);
        var topics = new MqttTopics(ChainId, key.Address);

        var answers = new List<MqttClientPublishResult>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await client.PublishAsync(Publish(topics.Readings, Canonical.Encode(new ReadingUpload([signer.Sign(_fixture.EvReading(signer))], [])))));
        }

        // A burst of 8 at 5 messages/s: the first 8 and the few earned meanwhile pass, the rest are refused.
        var refused = answers.Where(a => a.ReasonCode == MqttClientPublishReasonCode.QuotaExceeded).ToList();
        Assert.InRange(refused.Count, 5, 12);
        Assert.All(refused, a => Assert.Equal(TelemetryErrors.MqttRateLimited, a.ReasonString));
        Assert.Equal(answers.Count - refused.Count, (await HistoryAsync(key.Address)).Count);
        var metrics = await Node.CreateClient().GetStringAsync("/metrics");
        Assert.Contains($"thingledger_mqtt_refusals_total{{code=\"{TelemetryErrors.MqttRateLimited}\"}}", metrics, StringComparison.Ordinal);
        Assert.Contains("thingledger_mqtt_puback_seconds_count", metrics, StringComparison.Ordinal);
        Assert.Contains("thingledger_mqtt_devices_connected 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_mqtt_3_1_1_a_message_refused_for_now_gets_no_puback_and_the_connection_closes()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(RawOptions(key, MqttProtocolVersion.V311));
        var topics = new MqttTopics(ChainId, key.Address);

        var acknowledged = 0;
        Exception? dropped = null;
        for (var i = 0; i < 20 && dropped is null; i++)
        {
            try
            {
                var answer = await client.PublishAsync(Publish(topics.Readings, Canonical.Encode(new ReadingUpload([signer.Sign(_fixture.EvReading(signer))], []))));
                Assert.True(answer.IsSuccess);
                acknowledged++;
            }
            catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException)
            {
                dropped = e;
            }
        }

        // A burst of 8: the ninth or so is over the rate. 3.1.1 cannot say so in a PUBACK, so there is none and the client will send it again.
        Assert.NotNull(dropped);
        Assert.InRange(acknowledged, 8, 12);
        Assert.Equal(acknowledged, (await HistoryAsync(key.Address)).Count);
    }

    [Fact]
    public async Task A_connection_that_never_sends_connect_or_falls_silent_is_closed()
    {
        var (key, _) = await _fixture.NewDeviceAsync();
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, Port);
        // ConnectTimeoutMs is 1.5 s on this node.
        Assert.Equal(0, await idle.GetStream().ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));

        // A device that connects with a keep-alive of 1 s and then never sends again.
        using var silent = new TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, Port);
        var stream = silent.GetStream();
        await stream.WriteAsync(ConnectPacket(key.Address.ToString(), key.Address.ToString(), MqttConnectProof.Create(key, ChainId, DateTimeOffset.UtcNow), keepAlive: 1));
        var connack = new byte[4];
        await stream.ReadExactlyAsync(connack);
        Assert.Equal([0x20, 0x02, 0x00, 0x00], connack);
        await WaitUntil(() => Node.Services.GetRequiredService<MqttPresence>().Clients(key.Address).Length == 1);
        Assert.Equal(0, await stream.ReadAsync(new byte[16]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        await WaitUntil(() => Node.Services.GetRequiredService<MqttPresence>().Clients(key.Address).Length == 0);
    }

    [Fact]
    public async Task Receipts_and_configuration_reach_a_subscribed_device()
    {
        var (key, signer) = await _fixture.NewDeviceAsync();
        await using var device = await DeviceMqttClient.ConnectAsync(Options(key, label: "monitor"));
        var received = new List<(string Topic, byte[] Payload)>();
        device.Received += (topic, payload) =>
        {
            lock (received)
            {
                received.Add((topic, payload));
            }
            return Task.CompletedTask;
        };
        await device.SubscribeAsync(device.Topics.Config);
        await WaitUntil(() => received.Count == 1);
        var config = JsonSerializer.Deserialize(received[0].Payload, TelemetryJson.Default.MqttDeviceConfig)!;
        Assert.Equal(1UL, config.NextSequence);
        Assert.Equal(ChainId, config.ChainId);

        await device.SubscribeAsync(device.Topics.Receipts);
        var result = await device.UploadAsync([signer.Sign(_fixture.EvReading(signer))], []);
        Assert.Equal(1, result.Response!.Accepted);

        await WaitUntil(() => received.Any(r => r.Topic == device.Topics.Receipts));
        var receipt = JsonSerializer.Deserialize(received.First(r => r.Topic == device.Topics.Receipts).Payload, ClientJsonContext.Default.ProofDocument)!;
        var verdict = receipt.Verify(Node.Genesis);
        Assert.True(verdict.Ok, verdict.Message);
    }

    [Fact]
    public async Task Five_thousand_idle_connections_are_held_while_a_real_device_is_served()
    {
        var node = new TelemetryFixture(new TestNode { Configure = Limits(connectTimeoutMs: 60_000) });
        await node.InitializeAsync();
        var port = node.Node.Services.GetRequiredService<MqttBroker>().Port;
        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 5_000; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                idle.Add(socket);
            }
            var (key, signer) = await node.NewDeviceAsync();
            await using var device = await DeviceMqttClient.ConnectAsync(new DeviceMqttOptions("127.0.0.1", port, node.Node.Genesis.ChainId, key));

            var result = await device.UploadAsync([], [signer.SignBatch([node.EvReading(signer), node.EvReading(signer)])]);

            Assert.Equal(2, result.Response!.Accepted);
            var metrics = await node.Node.CreateClient().GetStringAsync("/metrics");
            var open = int.Parse(metrics.Split('\n').First(l => l.StartsWith("thingledger_mqtt_connections ", StringComparison.Ordinal)).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(open, 5_001, 5_010);
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task Devices_connect_over_tls_with_the_certificate_from_the_nodes_configuration()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", ecdsa, System.Security.Cryptography.HashAlgorithmName.SHA256);
        var names = new System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var path = Path.Combine(Path.GetTempPath(), $"tl-mqtt-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "pass"));
        int tlsPort;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            tlsPort = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var node = new TelemetryFixture(new TestNode
        {
            Configure = b =>
            {
                b.UseSetting("Node:Mqtt:TlsPort", tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
                b.UseSetting("Node:Mqtt:CertificatePath", path);
                b.UseSetting("Node:Mqtt:CertificatePassword", "pass");
            },
        });
        try
        {
            await node.InitializeAsync();
            var broker = node.Node.Services.GetRequiredService<MqttBroker>();
            Assert.Equal(tlsPort, broker.TlsPort);
            var (key, signer) = await node.NewDeviceAsync();
            var seen = new List<string>();
            await using var device = await DeviceMqttClient.ConnectAsync(new DeviceMqttOptions("127.0.0.1", tlsPort, node.Node.Genesis.ChainId, key, Tls: true,
                ValidateServer: (_, presented, _, _) =>
                {
                    seen.Add(presented?.GetCertHashString() ?? "");
                    return presented?.GetCertHashString() == certificate.GetCertHashString();
                }));

            var result = await device.UploadAsync([signer.Sign(node.EvReading(signer))], []);

            Assert.Equal(1, result.Response!.Accepted);
            Assert.Equal([certificate.GetCertHashString()], seen.Distinct());
            using var plain = new MqttClientFactory().CreateMqttClient();
            // The plain port still serves too; a client speaking plain MQTT to the TLS port gets nowhere.
            var wrong = await Assert.ThrowsAnyAsync<Exception>(() => plain.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", tlsPort)
                .WithClientId(key.Address.ToString()).WithCredentials(key.Address.ToString(), MqttConnectProof.Create(key, node.Node.Genesis.ChainId, DateTimeOffset.UtcNow))
                .WithTimeout(TimeSpan.FromSeconds(3)).Build()));
            Assert.NotNull(wrong);
        }
        finally
        {
            await node.DisposeAsync();
            File.Delete(path);
        }
    }

    private async Task RevokeAsync(Address device)
    {
        using var http = Node.Client();
        var admin = await Node.AccountAsync(Node.Admin("voltmotors"));
        var revoked = await http.SubmitAsync(admin.Sign(Operations.RevokeDevice(device, "stolen")), wait: true);
        Assert.Equal(TxState.Committed, revoked.Status);
    }

    private async Task AssertRefused(MqttClientConnectResultCode expected, string code, MqttClientOptions options)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var refused = await client.ConnectAsync(options);
        Assert.Equal(expected, refused.ResultCode);
        Assert.StartsWith(code + ":", refused.ReasonString, StringComparison.Ordinal);
    }

    private async Task<IMqttClient> ConnectedAsync(KeyPair key)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var connected = await client.ConnectAsync(RawOptions(key));
        Assert.Equal(MqttClientConnectResultCode.Success, connected.ResultCode);
        return client;
    }

    private MqttClientOptions RawOptions(KeyPair key, MqttProtocolVersion version = MqttProtocolVersion.V500, string? password = null, string? clientId = null, int keepAlive = 30) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Port)
            .WithClientId(clientId ?? key.Address.ToString())
            .WithCredentials(key.Address.ToString(), password ?? MqttConnectProof.Create(key, ChainId, DateTimeOffset.UtcNow))
            .WithProtocolVersion(version)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(keepAlive))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .Build();

    private static MqttApplicationMessage Publish(string topic, byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();

    private static List<string> Collect(IMqttClient client)
    {
        var results = new List<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (results)
            {
                results.Add(e.ApplicationMessage.ConvertPayloadToString());
            }
            return Task.CompletedTask;
        };
        return results;
    }

    private static ReadingUploadResponse Response(string json) => JsonSerializer.Deserialize(json, TelemetryJson.Default.ReadingUploadResponse)!;

    private static MqttRefusal Refusal(string json) => JsonSerializer.Deserialize(json, TelemetryJson.Default.MqttRefusal)!;

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(20);
        }
    }

    /// <summary>An MQTT 3.1.1 CONNECT with user name and password, written by hand (a client that then never sends again).</summary>
    private static byte[] ConnectPacket(string clientId, string user, string password, ushort keepAlive)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, (byte)(keepAlive >> 8), (byte)keepAlive };
        foreach (var field in new[] { clientId, user, password })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }
        var packet = new List<byte> { 0x10 };
        var length = body.Count;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            packet.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);
        packet.AddRange(body);
        return [.. packet];
    }
}
