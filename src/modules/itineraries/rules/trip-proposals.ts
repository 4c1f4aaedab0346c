/**
 * Agency Proposal rules (SPEC §2.3 "Agency Proposals", TMC3P): a trip posted with TripStatus 6
 * (Proposal) or 7 (Booked Proposal) must carry the batch fields Concur Request needs to offer
 * the proposals to the traveller. Pure: the trip POST calls it before anything is stored.
 *
 * `AutoSelectProposal` and `TicketIssued` are listed as required by TMC3P but are absent from
 * the docs' own TripStatus 7 sample, which must be accepted; they are checked only when sent
 * (docs/COMPATIBILITY.md, "Agency proposals").
 */
import { TripStatus } from '../../../domain/trip-status.js';
import { errors } from '../../../errors.js';
import { leaf, list, type XmlNode } from '../../../xml/document.js';

/** Where the attributes live, as error messages name them. */
const ATTRIBUTES_PATH = 'Itinerary/CustomAttributes/CustomAttribute';

/** The proposal attributes and whether a proposal must carry them (see the module comment). */
const PROPOSAL_ATTRIBUTES: { name: string; required: boolean; check: (data: string) => boolean }[] =
  [
    { name: 'ProposalBatchSize', required: true, check: isOneToThree },
    { name: 'ProposalSequenceIndex', required: true, check: isOneToThree },
    { name: 'AutoSelectProposal', required: false, check: isTrueFalse },
    { name: 'TicketIssued', required: false, check: isTrueFalse },
  ];

const RANGE_TEXT: Record<string, string> = {
  ProposalBatchSize: 'a number from 1 to 3 is required',
  ProposalSequenceIndex: 'a number from 1 to 3 is required',
  AutoSelectProposal: 'True or False is required',
  TicketIssued: 'True or False is required',
};

function isOneToThree(data: string): boolean {
  return /^[1-3]$/.test(data);
}

function isTrueFalse(data: string): boolean {
  return /^(true|false)$/i.test(data);
}

/** Whether a posted TripStatus marks an Agency Proposal (6 or 7; `07` counts as 7). */
export function isProposalStatus(posted: string | undefined): boolean {
  if (posted === undefined || !/^\d+$/.test(posted.trim())) return false;
  const status = Number(posted.trim());
  return status === TripStatus.Proposal || status === TripStatus.BookedProposal;
}

/**
 * Checks an Agency Proposal's documented fields and ranges; a trip of any other status passes
 * untouched. Throws a 400 `AppError` naming the first offending field.
 */
export function validateProposal(itinerary: XmlNode): void {
  if (!isProposalStatus(leaf(itinerary, 'TripStatus'))) return;
  if (!leaf(itinerary, 'ClientLocator')?.trim())
    throw errors.missingField('Itinerary/ClientLocator');
  if (!leaf(itinerary, 'TravelRequestId')?.trim()) {
    throw errors.missingField('Itinerary/TravelRequestId');
  }
  const attributes = list(itinerary, 'CustomAttributes').map((item) => item.node);
  for (const { name, required, check } of PROPOSAL_ATTRIBUTES) {
    const path = `${ATTRIBUTES_PATH}[Name=${name}]`;
    const found = attributes.filter((a) => leaf(a, 'Name')?.trim() === name);
    if (found.length > 1) throw errors.invalidValue(path, 'it may appear only once.');
    const attribute = found[0];
    if (!attribute) {
      if (required) throw errors.missingField(path);
      continue;
    }
    const data = leaf(attribute, 'Data')?.trim() ?? '';
    if (!check(data)) throw errors.invalidValue(`${path}/Data`, `${RANGE_TEXT[name]}.`);
    if (leaf(attribute, 'DisplayOnItinerary') !== 'true') {
      throw errors.invalidValue(`${path}/DisplayOnItinerary`, 'it must be True.');
    }
    for (const empty of ['DisplayTitle', 'ExternalId']) {
      if (leaf(attribute, empty)?.trim()) {
        throw errors.invalidValue(`${path}/${empty}`, 'it must be empty for a proposal.');
      }
    }
  }
}
