using System.Diagnostics;
using System.Text.Json;
using ThingLedger.Client;
using ThingLedger.Core.Codec;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;

namespace ThingLedger.Cli.Tests;

/// <summary>Devices over MQTT from the command line: third-party MQTT clients, the password command and the simulator.</summary>
public sealed class MqttCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("tl-cli-mqtt-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Mosquitto_clients_publish_a_devices_readings_and_see_the_result_and_the_simulator_runs_over_mqtt()
    {
        var data = Path.Combine(_directory, "chain");
        Assert.Equal(0, (await CliProcess.RunAsync(Limit, "init", "--data", data)).Code);
        var mqttPort = CliProcess.FreePort();
        using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort(), $"--Node:Mqtt:Port={mqttPort}");
        string[] common = ["--data", data, "--node", node.Url];
        await CliProcess.RegisterMeterAsync(common, Limit);
        using var key = Node.DevChain.Keys(data).Load("meter1");
        var chainId = Node.DataDirectory.LoadGenesis(data).ChainId;
        var device = key.Address.ToString();
        var topics = new MqttTopics(chainId, key.Address);

        var json = await CliProcess.RunAsync(Limit, ["device", "mqtt-password", "--device", "meter1", "--json", .. common]);
        Assert.True(json.Code == 0, json.Err);
        var details = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), details.GetProperty("port").GetString());
        Assert.Equal(topics.Readings, details.GetProperty("readings").GetString());

        // A monitor session of the device waits for one result; the device publishes a signed reading with mosquitto_pub.
        var signer = new DeviceSigner(key, chainId);
        var reading = signer.Sign(signer.Measure(BuiltInSchemas.SmartMeter, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1_250, 0, 555));
        var payload = Path.Combine(_directory, "upload.bin");
        await File.WriteAllBytesAsync(payload, Canonical.Encode(new ReadingUpload([reading], [])));
        using var sub = Start("mosquitto_sub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", $"{mqttPort}", "-i", device + "-monitor", "-u", device, "-P", await PasswordAsync(common),
            "-t", topics.Results, "-C", "1", "-W", "60");
        using (var client = new ThingLedgerClient(node.Url))
        {
            var deadline = Stopwatch.StartNew();
            while ((await client.GetMqttEndpointAsync()).DevicesConnected == 0)
            {
                if (deadline.Elapsed > Limit || sub.HasExited)
                {
                    Assert.Fail("mosquitto_sub did not connect: " + await sub.StandardError.ReadToEndAsync() + await sub.StandardOutput.ReadToEndAsync() + node.Log);
                }
                await Task.Delay(100);
            }
        }
        var pub = await RunAsync("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", $"{mqttPort}", "-i", device, "-u", device, "-P", await PasswordAsync(common),
            "-q", "1", "-t", topics.Readings, "-f", payload);
        Assert.True(pub.Code == 0 && !pub.Err.Contains("failed", StringComparison.Ordinal), pub.Err);
        Assert.True(sub.WaitForExit(60_000), "no result arrived");
        var result = JsonSerializer.Deserialize(await sub.StandardOutput.ReadToEndAsync(), Client.TelemetryJson.Default.ReadingUploadResponse)!;
        Assert.Equal((1, 0, 0), (result.Accepted, result.Duplicates, result.Rejected));

        // Refusals reach a third-party client as MQTT 5 reason codes.
        var foreign = await RunAsync("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", $"{mqttPort}", "-i", device, "-u", device, "-P", await PasswordAsync(common),
            "-q", "1", "-t", $"tl/{chainId}/d/tl0000000000000000000000000000000000000000deadbeef/readings", "-f", payload);
        Assert.Contains("Not authorized", foreign.Err, StringComparison.Ordinal);
        Assert.Contains(TelemetryErrors.MqttTopicForbidden, foreign.Err, StringComparison.Ordinal);
        var stolen = await RunAsync("mosquitto_pub", "-V", "mqttv5", "-h", "127.0.0.1", "-p", $"{mqttPort}", "-i", device, "-u", device, "-P", "v1.1.AAAA",
            "-q", "1", "-t", topics.Readings, "-f", payload);
        Assert.Contains("Bad User Name or Password", stolen.Err, StringComparison.Ordinal);

        // An MQTT 3.1.1 client has no content type: a payload starting with '{' is the JSON form.
        var second = signer.Sign(signer.Measure(BuiltInSchemas.SmartMeter, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1_300, 0, 560));
        var jsonPayload = Path.Combine(_directory, "upload.json");
        await File.WriteAllBytesAsync(jsonPayload, JsonSerializer.SerializeToUtf8Bytes(
            new Client.Contracts.ReadingUploadJson([ReadingJsonMapper.ToJson(second.Reading, BuiltInSchemas.SmartMeter, second.Signature)], null), Client.TelemetryJson.Default.ReadingUploadJson));
        var v311 = await RunAsync("mosquitto_pub", "-V", "mqttv311", "-h", "127.0.0.1", "-p", $"{mqttPort}", "-i", device, "-u", device, "-P", await PasswordAsync(common),
            "-q", "1", "-t", topics.Readings, "-f", jsonPayload);
        Assert.True(v311.Code == 0, v311.Err);
        using (var client = new ThingLedgerClient(node.Url))
        {
            Assert.Equal(2ul, (await client.GetLatestReadingAsync(key.Address))!.Seq);
        }

        // The simulator's devices each hold an MQTT session; faulty ones are refused reading by reading.
        var simulate = await CliProcess.RunAsync(Limit, "simulate", "--transport", "mqtt", "--data", data, "--node", node.Url, "--evs", "4", "--meters", "2", "--washers", "2",
            "--rate", "4", "--batch", "2", "--faults", "0.5", "--duration", "5", "--json");
        Assert.True(simulate.Code == 0, simulate.Err + simulate.Out + node.Log);
        var counts = JsonSerializer.Deserialize<Dictionary<string, string>>(simulate.Out[simulate.Out.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.True(long.Parse(counts["accepted"], System.Globalization.CultureInfo.InvariantCulture) > 0, simulate.Out);
        Assert.True(long.Parse(counts["refused"], System.Globalization.CultureInfo.InvariantCulture) > 0, simulate.Out);
        Assert.True(counts.ContainsKey("SIGNATURE_INVALID") || counts.ContainsKey("READING_OUT_OF_RANGE"), simulate.Out);
    }

    private async Task<string> PasswordAsync(string[] common)
    {
        var password = await CliProcess.RunAsync(Limit, ["device", "mqtt-password", "--device", "meter1", .. common]);
        Assert.True(password.Code == 0, password.Err);
        // Proofs are good once and must be later than the last: make each in its own millisecond.
        await Task.Delay(2);
        return password.Out.Trim();
    }

    private static Process Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start (apt-get install mosquitto-clients)");
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string program, params string[] args)
    {
        using var process = Start(program, args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Limit);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
