// Ride sharing without an intermediary. A driver offers seats on a route at a time and price; a
// rider books and pays the fare into the contract; the fare goes to the driver, whole, when both
// confirm the ride (or the driver's own registered car shows anchored readings on the day). Rules
// (all from block time, the same on every peer):
//   - a rider who cancels at least an hour before departure gets the whole fare back; later, half
//     goes to the driver for the held seat and half back to the rider;
//   - a driver who cancels refunds every rider in full;
//   - two hours after departure anyone may settle a booking: if the driver confirmed and the rider
//     did not (a no-show or a forgotten tap), the driver is paid; otherwise the rider is refunded.
import { args, result, storage, signer, time, deposit, transfer, emit, require, revert, device, telemetryDay, Writer, Reader, Address } from "../../sdk/index";

const HOUR: u64 = 3_600_000;

class Ride {
  constructor(public driver: Address, public route: string, public departs: u64, public seats: u32, public booked: u32,
              public price: u64, public token: string, public status: string, public bookings: u64) {}
  save(id: u64): void {
    storage.set("ride/" + id.toString(), new Writer().address(this.driver).string(this.route).u64(this.departs).u32(this.seats)
      .u32(this.booked).u64(this.price).string(this.token).string(this.status).u64(this.bookings).finish());
  }
  static load(id: u64): Ride {
    const bytes = storage.get("ride/" + id.toString());
    if (bytes === null) {
      revert("NO_RIDE", "no ride " + id.toString());
      return changetype<Ride>(0);
    }
    const r = new Reader(bytes);
    return new Ride(r.address(), r.string(), r.u64(), r.u32(), r.u32(), r.u64(), r.string(), r.string(), r.u64());
  }
}

class Booking {
  constructor(public rider: Address, public ride: u64, public seats: u32, public paid: u64, public status: string,
              public driverConfirmed: bool, public riderConfirmed: bool) {}
  save(id: u64): void {
    storage.set("booking/" + id.toString(), new Writer().address(this.rider).u64(this.ride).u32(this.seats).u64(this.paid)
      .string(this.status).bool(this.driverConfirmed).bool(this.riderConfirmed).finish());
  }
  static load(id: u64): Booking {
    const bytes = storage.get("booking/" + id.toString());
    if (bytes === null) {
      revert("NO_BOOKING", "no booking " + id.toString());
      return changetype<Booking>(0);
    }
    const r = new Reader(bytes);
    return new Booking(r.address(), r.u64(), r.u32(), r.u64(), r.string(), r.bool(), r.bool());
  }
}

function next(counter: string): u64 {
  const n = storage.getU64(counter) + 1;
  storage.setU64(counter, n);
  return n;
}

function pay(booking: u64, ride: Ride, to: Address, amount: u64, reason: string): void {
  if (amount == 0) return;
  require(transfer(ride.token, to, amount) == 0, "PAYOUT", "the contract could not pay " + amount.toString() + " " + ride.token);
  emit("paid", new Writer().u64(booking).address(to).u64(amount).string(reason));
}

export function offer(): void {
  const a = args();
  const route = a.string();
  const departs = a.u64();
  const seats = a.u32();
  const price = a.u64();
  const token = a.string();
  a.end();
  require(route.length > 0 && route.length <= 200, "ROUTE", "a route is 1-200 characters");
  require(departs > time() + HOUR, "DEPARTS", "a ride departs more than an hour from now");
  require(seats > 0 && seats <= 8, "SEATS", "a ride offers 1-8 seats");
  require(price > 0, "PRICE", "a seat has a price");
  const id = next("rides");
  new Ride(signer(), route, departs, seats, 0, price, token, "open", 0).save(id);
  emit("offered", new Writer().u64(id).address(signer()).string(route).u32(seats).u64(price));
  result(new Writer().u64(id));
}

export function book(): void {
  const a = args();
  const rideId = a.u64();
  const seats = a.u32();
  a.end();
  const ride = Ride.load(rideId);
  require(ride.status == "open", "CLOSED", "the ride is " + ride.status);
  require(time() < ride.departs, "DEPARTED", "the ride has left");
  require(!ride.driver.equals(signer()), "OWN_RIDE", "a driver does not book a seat on their own ride");
  require(seats > 0 && ride.booked + seats <= ride.seats, "FULL", (ride.seats - ride.booked).toString() + " seat(s) left");
  const fare = <u64>seats * ride.price;
  const paid = deposit();
  require(paid.token == ride.token && paid.amount == fare, "FARE", "pay exactly " + fare.toString() + " " + ride.token + " with the booking");
  ride.booked += seats;
  ride.bookings += 1;
  ride.save(rideId);
  const id = next("bookings");
  storage.setU64("ride-booking/" + rideId.toString() + "/" + ride.bookings.toString(), id);
  new Booking(signer(), rideId, seats, fare, "booked", false, false).save(id);
  emit("booked", new Writer().u64(id).u64(rideId).address(signer()).u32(seats).u64(fare));
  result(new Writer().u64(id));
}

class Open {
  constructor(public id: u64, public booking: Booking, public ride: Ride) {}
}

/** The booking the call's one argument names, with its ride; reverts unless it is still booked. */
function openBooking(): Open {
  const a = args();
  const id = a.u64();
  a.end();
  const booking = Booking.load(id);
  require(booking.status == "booked", "CLOSED", "the booking is " + booking.status);
  return new Open(id, booking, Ride.load(booking.ride));
}

function complete(id: u64, booking: Booking, ride: Ride): void {
  booking.status = "completed";
  booking.save(id);
  pay(id, ride, ride.driver, booking.paid, "ride completed");
}

export function confirm(): void {
  const open = openBooking();
  const id = open.id;
  const booking = open.booking;
  const ride = open.ride;
  const who = signer();
  if (who.equals(ride.driver)) booking.driverConfirmed = true;
  else if (who.equals(booking.rider)) booking.riderConfirmed = true;
  else revert("NOT_PARTY", "only the driver or the rider confirms");
  emit("confirmed", new Writer().u64(id).address(who));
  if (booking.driverConfirmed && booking.riderConfirmed) complete(id, booking, ride);
  else booking.save(id);
}

/** The driver's own registered car, with anchored readings on the day of departure, confirms the ride for both. */
export function confirm_by_device(): void {
  const a = args();
  const id = a.u64();
  const car = a.address();
  const schema = a.string();
  a.end();
  const booking = Booking.load(id);
  const ride = Ride.load(booking.ride);
  require(booking.status == "booked", "CLOSED", "the booking is " + booking.status);
  const d = device(car);
  if (d === null || d.revoked || !d.owner.equals(ride.driver)) revert("DEVICE", "the device is not an active device the driver owns");
  const day = <i32>(ride.departs / (24 * HOUR));
  const totals = telemetryDay(car, schema, day);
  if (totals === null || totals.count <= totals.flagged) revert("NO_TRIP", "the device has no unflagged anchored readings on the day of the ride");
  emit("confirmed", new Writer().u64(id).address(car));
  complete(id, booking, ride);
}

export function cancel_booking(): void {
  const open = openBooking();
  const id = open.id;
  const booking = open.booking;
  const ride = open.ride;
  require(signer().equals(booking.rider), "NOT_RIDER", "only the rider cancels a booking");
  require(time() < ride.departs, "DEPARTED", "the ride has left: settle the booking instead");
  booking.status = "cancelled";
  booking.save(id);
  ride.booked -= booking.seats;
  ride.save(booking.ride);
  emit("cancelled", new Writer().u64(booking.ride).u64(id).address(signer()));
  if (time() + HOUR <= ride.departs) {
    pay(id, ride, booking.rider, booking.paid, "cancelled in time");
  } else {
    const half = booking.paid / 2;
    pay(id, ride, ride.driver, half, "late cancellation");
    pay(id, ride, booking.rider, booking.paid - half, "late cancellation");
  }
}

export function cancel_ride(): void {
  const a = args();
  const rideId = a.u64();
  a.end();
  const ride = Ride.load(rideId);
  require(signer().equals(ride.driver), "NOT_DRIVER", "only the driver cancels the ride");
  require(ride.status == "open", "CLOSED", "the ride is " + ride.status);
  ride.status = "cancelled";
  ride.save(rideId);
  emit("cancelled", new Writer().u64(rideId).u64(0).address(signer()));
  for (let n: u64 = 1; n <= ride.bookings; n++) {
    const id = storage.getU64("ride-booking/" + rideId.toString() + "/" + n.toString());
    const booking = Booking.load(id);
    if (booking.status != "booked") continue;
    booking.status = "refunded";
    booking.save(id);
    pay(id, ride, booking.rider, booking.paid, "driver cancelled");
  }
}

export function settle(): void {
  const open = openBooking();
  const id = open.id;
  const booking = open.booking;
  const ride = open.ride;
  require(time() >= ride.departs + 2 * HOUR, "EARLY", "a booking is settled two hours after departure");
  if (booking.driverConfirmed && !booking.riderConfirmed) {
    booking.status = "no-show";
    booking.save(id);
    pay(id, ride, ride.driver, booking.paid, "rider did not confirm");
  } else {
    booking.status = "refunded";
    booking.save(id);
    pay(id, ride, booking.rider, booking.paid, "driver did not confirm");
  }
}

export function ride(): void {
  const a = args();
  const id = a.u64();
  a.end();
  const r = Ride.load(id);
  result(new Writer().address(r.driver).string(r.route).u64(r.departs).u32(r.seats).u32(r.booked).u64(r.price).string(r.token).string(r.status));
}

export function booking(): void {
  const a = args();
  const id = a.u64();
  a.end();
  const b = Booking.load(id);
  result(new Writer().address(b.rider).u64(b.ride).u32(b.seats).u64(b.paid).string(b.status).bool(b.driverConfirmed).bool(b.riderConfirmed));
}
