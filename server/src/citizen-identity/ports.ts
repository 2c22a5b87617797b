import type { AppContext } from '../platform/context';
import type { SmsProvider } from './sms-provider';

export interface PersonIdentity {
  personId: string;
  idNumber: string;
  name: string;
  phone: string;
}

/** Who a citizen is in the records (citizen-records provides it): found by ID number, or by its own id. */
export interface PersonDirectory {
  byIdNumber(idNumber: string): Promise<PersonIdentity | undefined>;
  byId(personId: string): Promise<PersonIdentity | undefined>;
}

/**
 * An optional real-name check (实名核验) against the public-security identity service, through the
 * deployment's own gateway: whether this name belongs to this ID number.
 */
export interface RealNameVerifier {
  verify(idNumber: string, name: string): Promise<boolean>;
}

export interface CitizenIdentityDeps {
  ctx: AppContext;
  persons: PersonDirectory;
  sms: SmsProvider;
  realName?: RealNameVerifier;
}
