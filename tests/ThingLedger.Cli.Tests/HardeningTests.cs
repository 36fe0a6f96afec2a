using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Data.Sqlite;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Core;
using ThingLedger.Core.Crypto;
using ThingLedger.Core.Telemetry;
using ThingLedger.Execution.Modules.Telemetry;
using ThingLedger.Node;
using ThingLedger.Tests.Shared;

namespace ThingLedger.Cli.Tests;

/// <summary>
/// What an attacker and a failing machine did to a real node process: hostile uploads, broken
/// HTTP framing, a damaged or missing database file, a full disk.
/// </summary>
public sealed class HardeningTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>The node's peak resident memory may not pass this, whatever it is sent (it was 5.2 GB).</summary>
    private const long MemoryBound = 768L * 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("tl-hardening-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Hostile_uploads_are_refused_at_once_within_a_memory_bound_and_bad_input_logs_no_stack_trace()
    {
        DevChain.Initialize(_directory, "hardening", DevChain.SampleOrgs, 1_700_000_000_000);
        using var node = await NodeProcess.StartAsync(_directory, CliProcess.FreePort());
        using var http = new HttpClient { BaseAddress = new Uri(node.Url), Timeout = TimeSpan.FromSeconds(60) };

        // Binary: 29,000 device batches of 1,024 zero-length readings each (31 MiB claiming 29.7 million readings).
        var frame = new MemoryStream();
        frame.WriteByte(ReadingUpload.CurrentVersion);
        WriteVarint(frame, 29_000);
        var batch = new byte[1 + Address.Size + 2 + 1024 + Signature.Size];
        batch[0] = ReadingUpload.BatchKind;
        batch[1 + Address.Size] = 0x80;
        batch[2 + Address.Size] = 0x08;
        for (var i = 0; i < 29_000; i++)
        {
            frame.Write(batch);
        }
        using (var binary = new ByteArrayContent(frame.ToArray()))
        {
            binary.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.thingledger.readings");
            var response = await http.PostAsync("/v1/readings", binary);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains(ErrorCodes.BatchTooLarge, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // JSON: 8 MiB of empty reading objects.
        var json = new StringBuilder("{\"readings\":[");
        json.Append(string.Join(',', Enumerable.Repeat("{}", 2_800_000)));
        json.Append("]}");
        using (var content = new StringContent(json.ToString(), Encoding.UTF8, "application/json"))
        {
            var response = await http.PostAsync("/v1/readings", content);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        // A chunk size that overflows, on a raw connection: bad framing is the client's fault.
        foreach (var path in new[] { "/v1/readings", "/v1/txs" })
        {
            var answer = await RawAsync(node.Url, $"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n");
            Assert.StartsWith("HTTP/1.1 400", answer, StringComparison.Ordinal);
        }

        // A flood of small malformed requests.
        for (var i = 0; i < 50; i++)
        {
            using var tiny = new StringContent("{\"tx\":1}", Encoding.UTF8, "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/v1/txs", tiny)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/v1/blocks?limit=many")).StatusCode);
        }

        var peak = node.PeakResidentBytes();
        Assert.True(peak < MemoryBound, $"the node's peak resident memory reached {peak / (1024 * 1024)} MiB");
        Assert.True((await http.GetAsync("/health")).IsSuccessStatusCode);
        var log = node.Log;
        Assert.DoesNotContain("Exception", log, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_reading_store_or_a_damaged_ledger_is_refused_before_serving_and_repair_restores_the_ledger()
    {
        var data = Path.Combine(_directory, "chain");
        var genesis = DevChain.Initialize(data, "hardening", DevChain.SampleOrgs, 1_700_000_000_000);
        var port = CliProcess.FreePort();
        Core.Crypto.Hash deviceTx;
        using (var node = await NodeProcess.StartAsync(data, port))
        {
            using var client = new ThingLedgerClient(node.Url);
            var admin = await Account.OpenAsync(client, DevChain.Keys(data).Load(DevChain.AdminKeyName("voltmotors")), genesis.ChainId);
            Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterSchema(BuiltInSchemas.Ev)), wait: true)).Status);
            using var car = KeyPair.Generate();
            var register = admin.Sign(Operations.RegisterDevice(car, admin.ChainId, "voltmotors", "ev-x1", "SN-H-1", admin.Address));
            deviceTx = register.Id;
            Assert.Equal(TxState.Committed, (await client.SubmitAsync(register, wait: true)).Status);
            var signer = new DeviceSigner(car, genesis.ChainId);
            var reading = signer.Measure(BuiltInSchemas.Ev, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1_000, 523, 1_250, 800, 95, 7_500, 0, 0);
            Assert.Equal(1, (await client.UploadReadingsAsync([signer.Sign(reading)], [])).Accepted);
            await client.GetVerifiedReceiptAsync(car.Address, reading.Sequence, genesis, TimeSpan.FromSeconds(30));
        }

        // Without its reading store: exit 4 with the reason, and no server was started.
        var withoutReadings = Path.Combine(_directory, "without-readings");
        CopyDirectory(data, withoutReadings);
        File.Delete(Path.Combine(withoutReadings, "readings.db"));
        var refused = await CliProcess.RunAsync(Limit, "node", "run", "--data", withoutReadings, "--urls", $"http://127.0.0.1:{port}");
        Assert.True(refused.Code == CliRunner.StorageFailure, refused.Out + refused.Err);
        Assert.Contains("the reading store is missing", refused.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("Now listening", refused.Out + refused.Err, StringComparison.Ordinal);

        // One damaged index page of the ledger: refused with the command that repairs it.
        DamagedFile.DamagePage(Path.Combine(data, "ledger.db"), "txs_by_id");
        var damaged = await CliProcess.RunAsync(Limit, "node", "run", "--data", data, "--urls", $"http://127.0.0.1:{port}");
        Assert.True(damaged.Code == CliRunner.StorageFailure, damaged.Out + damaged.Err);
        Assert.Contains("thingledger node repair --data", damaged.Err, StringComparison.Ordinal);
        var repair = await CliProcess.RunAsync(Limit, "node", "repair", "--data", data);
        Assert.True(repair.Code == 0, repair.Out + repair.Err);
        Assert.Contains("rebuilt", repair.Out, StringComparison.Ordinal);

        // A damaged page of the state table: the indexes cannot mend it, the ledger is rebuilt by executing its blocks again.
        DamagedFile.DamagePage(Path.Combine(data, "ledger.db"), "state");
        repair = await CliProcess.RunAsync(Limit, "node", "repair", "--data", data);
        Assert.True(repair.Code == 0, repair.Out + repair.Err);
        Assert.Contains("rebuilt from its blocks", string.Join(' ', repair.Out.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(data, "ledger.db.damaged-*").Count(f => !f.EndsWith("-wal", StringComparison.Ordinal)));

        using (var node = await NodeProcess.StartAsync(data, port))
        {
            using var client = new ThingLedgerClient(node.Url);
            Assert.Equal(TxState.Committed, (await client.GetTxAsync(deviceTx))!.Status);
        }
    }

    [Fact]
    public async Task On_a_full_disk_writes_stop_with_NODE_UNAVAILABLE_the_node_stays_up_and_resumes_when_space_returns()
    {
        var mount = Path.Combine(_directory, "disk");
        Directory.CreateDirectory(mount);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount);
        try
        {
            var data = Path.Combine(mount, "chain");
            var genesis = DevChain.Initialize(data, "disk-full", DevChain.SampleOrgs, 1_700_000_000_000);
            using var node = await NodeProcess.StartAsync(data, CliProcess.FreePort(), "--Node:MinFreeDiskBytes=0");
            using var client = new ThingLedgerClient(node.Url);
            var admin = await Account.OpenAsync(client, DevChain.Keys(data).Load(DevChain.AdminKeyName("voltmotors")), genesis.ChainId);
            Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterSchema(BuiltInSchemas.Ev)), wait: true)).Status);
            using var car = KeyPair.Generate();
            Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.RegisterDevice(car, admin.ChainId, "voltmotors", "ev-x1", "SN-F-1", admin.Address)), wait: true)).Status);
            var signer = new DeviceSigner(car, genesis.ChainId);

            var filler = Path.Combine(mount, "filler");
            await FillAsync(filler);
            var upload = await Assert.ThrowsAsync<ThingLedgerException>(() => client.UploadReadingsAsync(
                [signer.Sign(signer.Measure(BuiltInSchemas.Ev, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1_000, 523, 1_250, 800, 95, 7_500, 0, 0))], []));
            Assert.Equal((ErrorCodes.NodeUnavailable, 503), (upload.Code, upload.Status));
            Assert.Contains("disk is full", upload.Message, StringComparison.Ordinal);
            var refusedTx = await Assert.ThrowsAsync<ThingLedgerException>(() => client.SubmitAsync(admin.Sign(Operations.CreateToken("FULL", "Full", 0, Execution.Roles.Admin, 0))));
            Assert.Equal(ErrorCodes.NodeUnavailable, refusedTx.Code);
            using var http = new HttpClient();
            var health = await http.GetAsync(node.Url + "/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("disk is full", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("cannot rollback", node.Log, StringComparison.Ordinal);

            File.Delete(filler);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!(await http.GetAsync(node.Url + "/health")).IsSuccessStatusCode && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            Assert.True((await http.GetAsync(node.Url + "/health")).IsSuccessStatusCode, node.Log);
            admin = await Account.OpenAsync(client, admin.Key, genesis.ChainId);
            Assert.Equal(TxState.Committed, (await client.SubmitAsync(admin.Sign(Operations.CreateToken("ROOM", "Room again", 0, Execution.Roles.Admin, 0)), wait: true)).Status);
            var again = signer.Measure(BuiltInSchemas.Ev, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1_001, 523, 1_250, 800, 95, 7_500, 0, 0);
            Assert.Equal(1, (await client.UploadReadingsAsync([signer.Sign(again)], [])).Accepted);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            await RunAsync("umount", "-l", mount);
        }
    }

    /// <summary>Writes zeros until the file system refuses another byte.</summary>
    private static async Task FillAsync(string path)
    {
        var block = new byte[64 * 1024];
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 0);
        try
        {
            while (true)
            {
                await file.WriteAsync(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
        for (var size = 4096; size > 0; size /= 2)
        {
            try
            {
                await file.WriteAsync(block.AsMemory(0, size));
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed: {error}");
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }

    private static async Task<string> RawAsync(string url, string request)
    {
        var uri = new Uri(url);
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, uri.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (var sub in Directory.GetDirectories(from))
        {
            CopyDirectory(sub, Path.Combine(to, Path.GetFileName(sub)));
        }
    }
}
