// A token in contract state: the deployer's signer receives the whole supply at init; holders transfer.
import { args, result, storage, signer, emit, require, Writer, Address } from "../../sdk/index";

function key(holder: Address): string { return "b/" + holder.hex(); }

export function init(): void {
  const a = args();
  const supply = a.u64();
  a.end();
  require(!storage.has("supply"), "INITIALISED", "the token is already set up");
  storage.setU64("supply", supply);
  storage.setU64(key(signer()), supply);
}

export function transfer(): void {
  const a = args();
  const to = a.address();
  const amount = a.u64();
  a.end();
  require(amount > 0, "AMOUNT_ZERO", "transfer a positive amount");
  const from = signer();
  const have = storage.getU64(key(from));
  require(have >= amount, "INSUFFICIENT", "balance " + have.toString() + " is below " + amount.toString());
  storage.setU64(key(from), have - amount);
  storage.setU64(key(to), storage.getU64(key(to)) + amount);
  emit("transferred", new Writer().address(from).address(to).u64(amount));
}

export function balance_of(): void {
  const a = args();
  const holder = a.address();
  a.end();
  result(new Writer().u64(storage.getU64(key(holder))));
}

export function total_supply(): void {
  result(new Writer().u64(storage.getU64("supply")));
}
