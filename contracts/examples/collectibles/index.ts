// A collectible game paid in reward points (a token the players earned). Players spend the token
// to mint a collectible or to breed two of their own into a new one; genes come from the block,
// the id and the player, mixed deterministically (the same on every peer, and not chosen by the
// player). Supply never exceeds the cap set at init. Owners give collectibles away or list them
// for sale; a buyer pays the listed price, which goes to the seller at once. Mint and breed fees
// stay in the contract: points spent are spent.
import { args, result, storage, signer, height, deposit, transfer, emit, require, revert, Writer, Reader, Address } from "../../sdk/index";

class Item {
  constructor(public owner: Address, public genes: u64, public generation: u32, public price: u64) {}
  save(id: u64): void {
    storage.set("item/" + id.toString(), new Writer().address(this.owner).u64(this.genes).u32(this.generation).u64(this.price).finish());
  }
  static load(id: u64): Item {
    const bytes = storage.get("item/" + id.toString());
    if (bytes === null) {
      revert("NO_ITEM", "no collectible " + id.toString());
      return changetype<Item>(0);
    }
    const r = new Reader(bytes);
    return new Item(r.address(), r.u64(), r.u32(), r.u64());
  }
}

/** splitmix64: a deterministic mixer, so genes follow from their inputs alone. */
function mix(x: u64): u64 {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

function seed(id: u64, who: Address): u64 {
  let s = mix(height() ^ (id << 20));
  for (let i = 0; i < 20; i++) s = mix(s ^ <u64>who.bytes[i]);
  return s;
}

function token(): string {
  const t = storage.getString("token");
  if (t === null) {
    revert("NOT_SET_UP", "the game has no rules yet");
    return "";
  }
  return t;
}

function charge(price: u64): void {
  const paid = deposit();
  require(paid.token == token() && paid.amount == price, "FEE", "pay exactly " + price.toString() + " " + token());
}

function create(owner: Address, genes: u64, generation: u32): u64 {
  const supply = storage.getU64("supply");
  require(supply < storage.getU64("max_supply"), "SOLD_OUT", "all " + supply.toString() + " collectibles exist");
  const id = supply + 1;
  storage.setU64("supply", id);
  new Item(owner, genes, generation, 0).save(id);
  emit("minted", new Writer().u64(id).address(owner).u64(genes).u32(generation));
  return id;
}

export function init(): void {
  const a = args();
  const t = a.string();
  const mintPrice = a.u64();
  const breedPrice = a.u64();
  const maxSupply = a.u64();
  a.end();
  require(storage.getString("token") === null, "SET_UP", "the game is set up already");
  require(t.length >= 2 && maxSupply > 0, "RULES", "a token and a supply cap above zero");
  storage.setString("token", t);
  storage.setU64("mint_price", mintPrice);
  storage.setU64("breed_price", breedPrice);
  storage.setU64("max_supply", maxSupply);
}

export function mint(): void {
  args().end();
  charge(storage.getU64("mint_price"));
  const id = storage.getU64("supply") + 1;
  result(new Writer().u64(create(signer(), seed(id, signer()), 0)));
}

export function breed(): void {
  const a = args();
  const first = a.u64();
  const second = a.u64();
  a.end();
  require(first != second, "SAME", "breeding takes two different collectibles");
  const x = Item.load(first);
  const y = Item.load(second);
  require(x.owner.equals(signer()) && y.owner.equals(signer()), "NOT_OWNER", "breed two collectibles you own");
  charge(storage.getU64("breed_price"));
  // Each gene byte from one parent or the other, by a mask from the seed; a mutation flips one bit.
  const s = seed(storage.getU64("supply") + 1, signer());
  const genes = ((x.genes & s) | (y.genes & ~s)) ^ (<u64>1 << (s >> 58));
  const generation = (x.generation > y.generation ? x.generation : y.generation) + 1;
  result(new Writer().u64(create(signer(), genes, generation)));
}

export function give(): void {
  const a = args();
  const id = a.u64();
  const to = a.address();
  a.end();
  const item = Item.load(id);
  require(item.owner.equals(signer()), "NOT_OWNER", "only the owner gives a collectible");
  emit("given", new Writer().u64(id).address(item.owner).address(to));
  item.owner = to;
  item.price = 0;
  item.save(id);
}

export function list(): void {
  const a = args();
  const id = a.u64();
  const price = a.u64();
  a.end();
  const item = Item.load(id);
  require(item.owner.equals(signer()), "NOT_OWNER", "only the owner lists a collectible");
  item.price = price;
  item.save(id);
  emit("listed", new Writer().u64(id).u64(price));
}

export function buy(): void {
  const a = args();
  const id = a.u64();
  a.end();
  const item = Item.load(id);
  require(item.price > 0, "NOT_FOR_SALE", "collectible " + id.toString() + " is not listed");
  require(!item.owner.equals(signer()), "OWN", "you own it already");
  charge(item.price);
  require(transfer(token(), item.owner, item.price) == 0, "PAYOUT", "the contract could not pay the seller");
  emit("sold", new Writer().u64(id).address(item.owner).address(signer()).u64(item.price));
  item.owner = signer();
  item.price = 0;
  item.save(id);
}

export function collectible(): void {
  const a = args();
  const id = a.u64();
  a.end();
  const item = Item.load(id);
  result(new Writer().address(item.owner).u64(item.genes).u32(item.generation).u64(item.price));
}

export function rules(): void {
  args().end();
  result(new Writer().string(token()).u64(storage.getU64("mint_price")).u64(storage.getU64("breed_price"))
    .u64(storage.getU64("max_supply")).u64(storage.getU64("supply")));
}
