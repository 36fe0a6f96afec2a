using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;

namespace ThingLedger.Client;

/// <summary>Where and how a device reaches a node's MQTT broker.</summary>
/// <param name="Label">Appended to the client id ("{device}-{label}") so one device can hold several sessions.</param>
/// <param name="ValidateServer">TLS: how to check the node's certificate (default: the system's trust store).</param>
public sealed record DeviceMqttOptions(
    string Host, int Port, string ChainId, KeyPair DeviceKey, bool Tls = false, string? Label = null, ushort KeepAliveSeconds = 60,
    RemoteCertificateValidationCallback? ValidateServer = null, TimeSpan? Timeout = null);

/// <summary>The outcome of one readings message: the node's result, the PUBACK's reason, and how long the PUBACK took.</summary>
public sealed record MqttUploadResult(ReadingUploadResponse? Response, MqttRefusal? Refusal, int ReasonCode, TimeSpan PubAckLatency)
{
    public bool Stored => Refusal is null;
}

/// <summary>A device's MQTT session refused by the node.</summary>
public sealed class MqttConnectRefusedException(string message, int reasonCode) : Exception(message)
{
    public int ReasonCode { get; } = reasonCode;
}

/// <summary>
/// A device's MQTT transport (docs/TELEMETRY.md, "MQTT"): connects with a fresh proof of its key,
/// publishes its signed readings and device batches at QoS 1 with a response topic of its own,
/// and returns the node's per-reading result. If the connection drops before the PUBACK, it
/// reconnects and sends the same bytes again: the node answers "duplicate" for what it stored
/// already, so a reading is never counted twice.
/// </summary>
public sealed class DeviceMqttClient : IAsyncDisposable
{
    private readonly DeviceMqttOptions _options;
    private readonly IMqttClient _client;
    private readonly MqttTopics _topics;
    private readonly string _responseTopic;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<byte[]>> _waiting = new();
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private long _next;

    private DeviceMqttClient(DeviceMqttOptions options)
    {
        _options = options;
        _topics = new MqttTopics(options.ChainId, options.DeviceKey.Address);
        _responseTopic = _topics.Results + "/" + (options.Label ?? "sdk");
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessage;
    }

    public Address Device => _options.DeviceKey.Address;

    public MqttTopics Topics => _topics;

    public bool IsConnected => _client.IsConnected;

    /// <summary>Messages the node sent on topics other than this client's results (receipts, config), as they arrive.</summary>
    public event Func<string, byte[], Task>? Received;

    public static async Task<DeviceMqttClient> ConnectAsync(DeviceMqttOptions options, CancellationToken cancellationToken = default)
    {
        var client = new DeviceMqttClient(options);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return client;
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client.IsConnected)
            {
                return;
            }
            var device = _options.DeviceKey.Address.ToString();
            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(_options.Host, _options.Port)
                .WithClientId(_options.Label is null ? device : $"{device}-{_options.Label}")
                .WithCredentials(device, MqttConnectProof.Create(_options.DeviceKey, _options.ChainId, DateTimeOffset.UtcNow))
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds))
                .WithTimeout(_options.Timeout ?? TimeSpan.FromSeconds(10))
                .WithCleanSession();
            if (_options.Tls)
            {
                builder.WithTlsOptions(tls =>
                {
                    tls.UseTls();
                    if (_options.ValidateServer is { } validate)
                    {
                        tls.WithCertificateValidationHandler(context => validate(this, context.Certificate, context.Chain, context.SslPolicyErrors));
                    }
                });
            }
            var result = await _client.ConnectAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                throw new MqttConnectRefusedException($"the node refused the MQTT session: {result.ReasonString ?? result.ResultCode.ToString()}", (int)result.ResultCode);
            }
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_responseTopic, MqttQualityOfServiceLevel.AtLeastOnce)
                .Build(), cancellationToken).ConfigureAwait(false);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException e)
        {
            throw new MqttConnectRefusedException($"the node refused the MQTT session: {e.Message}", (int)MqttClientConnectResultCode.UnspecifiedError);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Subscribes to one of the device's topics the node publishes on (<see cref="MqttTopics.Receipts"/>, <see cref="MqttTopics.Config"/>); messages arrive through <see cref="Received"/>.</summary>
    public async Task SubscribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        var result = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken)
            .ConfigureAwait(false);
        var code = result.Items.First().ResultCode;
        if ((int)code > 2)
        {
            throw new InvalidOperationException($"the node refused the subscription to {topic}: {result.ReasonString ?? code.ToString()}");
        }
    }

    /// <summary>Publishes the readings (all of this device) in the binary form and returns the node's answer; see the class summary for retries.</summary>
    public Task<MqttUploadResult> UploadAsync(IReadOnlyList<SignedReading> singles, IReadOnlyList<SignedBatch> batches, bool onlyRejected = false, int attempts = 3,
        CancellationToken cancellationToken = default) =>
        PublishAsync(Canonical.Encode(new ReadingUpload(singles, batches)), ThingLedgerClient.ReadingsContentType, onlyRejected, attempts, cancellationToken);

    /// <summary>Publishes a payload as it is (binary or JSON upload form) on the device's readings topic.</summary>
    public async Task<MqttUploadResult> PublishAsync(byte[] payload, string contentType, bool onlyRejected = false, int attempts = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (var attempt = 1; ; attempt++)
        {
            var id = Interlocked.Increment(ref _next);
            var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[id] = answer;
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectAsync(cancellationToken).ConfigureAwait(false);
                }
                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(_topics.Readings)
                    .WithPayload(payload)
                    .WithContentType(contentType)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .WithResponseTopic(_responseTopic)
                    .WithCorrelationData(BitConverter.GetBytes(id));
                if (onlyRejected)
                {
                    message.WithUserProperty("results", System.Text.Encoding.UTF8.GetBytes(ReadingUploadStatus.Rejected.Text()).AsMemory());
                }
                var started = Stopwatch.GetTimestamp();
                var published = await _client.PublishAsync(message.Build(), cancellationToken).ConfigureAwait(false);
                var latency = Stopwatch.GetElapsedTime(started);
                if (onlyRejected && published.ReasonCode == MqttClientPublishReasonCode.Success && Counts(published) is { } counts)
                {
                    // Nothing refused: the node sends no result, the PUBACK carries the counts.
                    return new MqttUploadResult(counts, null, (int)published.ReasonCode, latency);
                }
                // The node publishes the result before its PUBACK; it is here or on its way.
                var result = answer.Task.IsCompleted ? answer.Task.Result : await answer.Task.WaitAsync(_options.Timeout ?? TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                var (response, refusal) = Parse(result);
                var transient = refusal?.Code is "NODE_UNAVAILABLE" or "TELEMETRY_MQTT_RATE_LIMITED";
                if (!transient || attempt >= attempts)
                {
                    return new MqttUploadResult(response, refusal, (int)published.ReasonCode, latency);
                }
            }
            catch (Exception e) when (attempt < attempts && e is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or InvalidOperationException
                && !cancellationToken.IsCancellationRequested)
            {
                // The connection dropped (maybe after the node stored the readings): connect again and resend the same bytes.
            }
            finally
            {
                _waiting.TryRemove(id, out _);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The counts a PUBACK carries as user properties accepted, duplicates and rejected.</summary>
    private static ReadingUploadResponse? Counts(MqttClientPublishResult published)
    {
        int? accepted = null, duplicates = null, rejected = null;
        foreach (var property in published.UserProperties ?? [])
        {
            var value = int.TryParse(property.ValueBuffer.Span, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
            switch (property.Name)
            {
                case "accepted": accepted = value; break;
                case "duplicates": duplicates = value; break;
                case "rejected": rejected = value; break;
            }
        }
        return accepted is { } a && duplicates is { } d && rejected is { } r ? new ReadingUploadResponse(a, d, r, []) : null;
    }

    /// <summary>A result is a <see cref="ReadingUploadResponse"/>, or a <see cref="MqttRefusal"/> (whose first member is "code").</summary>
    private static (ReadingUploadResponse?, MqttRefusal?) Parse(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        var refusal = reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("code"u8);
        return refusal
            ? (null, JsonSerializer.Deserialize(json, TelemetryJson.Default.MqttRefusal))
            : (JsonSerializer.Deserialize(json, TelemetryJson.Default.ReadingUploadResponse), null);
    }

    private async Task OnMessage(MqttApplicationMessageReceivedEventArgs e)
    {
        var message = e.ApplicationMessage;
        var payload = System.Buffers.BuffersExtensions.ToArray(message.Payload);
        if (message.Topic == _responseTopic)
        {
            if (message.CorrelationData is { Length: 8 } correlation && _waiting.TryGetValue(BitConverter.ToInt64(correlation), out var waiting))
            {
                waiting.TrySetResult(payload);
            }
            return;
        }
        if (Received is { } received)
        {
            await received(message.Topic, payload).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the session cleanly.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build(), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
        }
        _client.Dispose();
        _connecting.Dispose();
    }
}
