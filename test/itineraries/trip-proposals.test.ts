/**
 * Agency Proposals (SPEC §2.3, issue 12): a trip posted with TripStatus 6 or 7 must carry the
 * documented batch fields and ranges, else 400 naming the field and nothing stored. The docs'
 * own TripStatus 7 sample lacks AutoSelectProposal and TicketIssued and must still be accepted
 * (docs/COMPATIBILITY.md, "Agency proposals").
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app-fixture.js';
import { sample } from '../helpers/reference-files.js';
import type { TestContext } from '../helpers/test-app.js';
import {
  createTrip,
  everyTripId,
  expectError,
  getTrip,
  postTrip,
} from '../helpers/trip-requests.js';
import { findAll, text } from '../helpers/xml-tree.js';

let context: TestContext;
let token: string;

useTestApp((given) => {
  ({ context, token } = given);
});

const SAMPLE = sample('post-trip-agency-proposal-request.xml');

/** The sample with `from` replaced by `to` (each edit must hit exactly once). */
function edited(from: string | RegExp, to: string): string {
  const body = SAMPLE.replace(from, to);
  expect(body, `edit ${from}`).not.toBe(SAMPLE);
  return body;
}

const BATCH = '<Name>ProposalBatchSize</Name>';
const SEQUENCE = '<Name>ProposalSequenceIndex</Name>';
const extraAttribute = (name: string, data: string) =>
  `<CustomAttribute><DataType>Text</DataType><Name>${name}</Name><Data>${data}</Data><DisplayOnItinerary>true</DisplayOnItinerary></CustomAttribute></CustomAttributes>`;

/** Bodies refused with 400, and the field the message must name. */
const REFUSED: { name: string; body: string; field: string }[] = [
  {
    name: 'no ClientLocator',
    body: edited(/<ClientLocator>[^<]*<\/ClientLocator>/, ''),
    field: 'Itinerary/ClientLocator',
  },
  {
    name: 'no TravelRequestId',
    body: edited('<TravelRequestId>3339</TravelRequestId>', ''),
    field: 'Itinerary/TravelRequestId',
  },
  {
    name: 'no ProposalBatchSize',
    body: edited(BATCH, '<Name>Other</Name>'),
    field: 'CustomAttribute[Name=ProposalBatchSize]',
  },
  {
    name: 'no ProposalSequenceIndex',
    body: edited(SEQUENCE, '<Name>Other</Name>'),
    field: 'CustomAttribute[Name=ProposalSequenceIndex]',
  },
  {
    name: 'ProposalBatchSize 4',
    body: edited('<Data>3</Data>', '<Data>4</Data>'),
    field: '[Name=ProposalBatchSize]/Data',
  },
  {
    name: 'ProposalSequenceIndex 0',
    body: edited('<Data>1</Data>', '<Data>0</Data>'),
    field: '[Name=ProposalSequenceIndex]/Data',
  },
  {
    name: 'AutoSelectProposal Maybe',
    body: edited('</CustomAttributes>', extraAttribute('AutoSelectProposal', 'Maybe')),
    field: '[Name=AutoSelectProposal]/Data',
  },
  {
    name: 'TicketIssued 2',
    body: edited('</CustomAttributes>', extraAttribute('TicketIssued', '2')),
    field: '[Name=TicketIssued]/Data',
  },
  {
    name: 'DisplayOnItinerary false',
    body: edited(
      `${BATCH}\n            <DisplayTitle />\n            <Data>3</Data>\n            <DisplayOnItinerary>true`,
      `${BATCH}<Data>3</Data><DisplayOnItinerary>false`,
    ),
    field: '[Name=ProposalBatchSize]/DisplayOnItinerary',
  },
  {
    name: 'a DisplayTitle',
    body: edited(
      `${SEQUENCE}\n            <DisplayTitle />`,
      `${SEQUENCE}<DisplayTitle>Pick</DisplayTitle>`,
    ),
    field: '[Name=ProposalSequenceIndex]/DisplayTitle',
  },
  {
    name: 'an ExternalId',
    body: edited('<ExternalId />', '<ExternalId>7</ExternalId>'),
    field: '[Name=ProposalBatchSize]/ExternalId',
  },
];

describe('POST /api/travel/trip/v1.1 with TripStatus 6/7 (Agency Proposals)', () => {
  it('accepts the docs’ TripStatus 7 sample and echoes its proposal attributes', async () => {
    const { tripId, doc } = await createTrip(context.app, token, SAMPLE);
    expect(text(doc, 'TripStatus')).toBe('7');
    expect(text(doc, 'TravelRequestId')).toBe('3339');
    const names = findAll(doc, 'CustomAttributes/CustomAttribute').map((a) => text(a, 'Name'));
    expect(names).toEqual(['ProposalBatchSize', 'ProposalSequenceIndex']);
    expect((await getTrip(context.app, token, tripId)).statusCode).toBe(200);
  });

  it('accepts the sample as a Proposal (6) with AutoSelectProposal and TicketIssued', async () => {
    const body = SAMPLE.replace('<TripStatus>7', '<TripStatus>6').replace(
      '</CustomAttributes>',
      extraAttribute('AutoSelectProposal', 'True').replace(
        '</CustomAttributes>',
        extraAttribute('TicketIssued', 'False'),
      ),
    );
    const { doc } = await createTrip(context.app, token, body);
    expect(text(doc, 'TripStatus')).toBe('6');
    expect(findAll(doc, 'CustomAttributes/CustomAttribute')).toHaveLength(4);
  });

  for (const { name, body, field } of REFUSED) {
    it(`refuses a proposal with ${name} (400 naming ${field}) and stores nothing`, async () => {
      const before = await everyTripId(context.app, token);
      const response = await postTrip(context.app, token, body);
      const { message } = expectError(response, 400);
      expect(message).toContain(field);
      expect(await everyTripId(context.app, token)).toEqual(before);
    });
  }

  it('applies the same rules to an update and leaves the trip as it was', async () => {
    const { tripId } = await createTrip(context.app, token, SAMPLE);
    const before = (await getTrip(context.app, token, tripId)).body;
    const bad = SAMPLE.replace('<TravelRequestId>3339</TravelRequestId>', '').replace(
      'Trip from Dallas',
      'Changed trip from Dallas',
    );
    const response = await postTrip(context.app, token, bad, { tripId });
    expect(expectError(response, 400).message).toContain('Itinerary/TravelRequestId');
    expect((await getTrip(context.app, token, tripId)).body).toBe(before);
  });

  it('does not apply the proposal rules to other statuses', async () => {
    const body = SAMPLE.replace('<TripStatus>7', '<TripStatus>0').replace(
      '<TravelRequestId>3339</TravelRequestId>',
      '',
    );
    const { doc } = await createTrip(context.app, token, body);
    expect(text(doc, 'TripStatus')).toBe('0');
  });
});
