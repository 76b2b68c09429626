-- The first 20 chemical elements. atomic_mass: IUPAC/CIAAW standard atomic weights; for the
-- elements whose standard weight is an interval (H, Li, B, C, N, O, Mg, Si, S, Cl, Ar) the
-- conventional value is given. grp is the IUPAC group 1-18 ("group" is a reserved word).
-- Run by the entrypoint as POSTGRES_USER in POSTGRES_DB, so that role owns the table.
CREATE TABLE elements (
    atomic_number int PRIMARY KEY,
    symbol        text    NOT NULL UNIQUE,
    name          text    NOT NULL,
    atomic_mass   numeric NOT NULL,
    period        int     NOT NULL,
    grp           int     NOT NULL
);

INSERT INTO elements (atomic_number, symbol, name, atomic_mass, period, grp) VALUES
    ( 1, 'H',  'Hydrogen',    1.008,        1,  1),
    ( 2, 'He', 'Helium',      4.002602,     1, 18),
    ( 3, 'Li', 'Lithium',     6.94,         2,  1),
    ( 4, 'Be', 'Beryllium',   9.0121831,    2,  2),
    ( 5, 'B',  'Boron',      10.81,         2, 13),
    ( 6, 'C',  'Carbon',     12.011,        2, 14),
    ( 7, 'N',  'Nitrogen',   14.007,        2, 15),
    ( 8, 'O',  'Oxygen',     15.999,        2, 16),
    ( 9, 'F',  'Fluorine',   18.998403162,  2, 17),
    (10, 'Ne', 'Neon',       20.1797,       2, 18),
    (11, 'Na', 'Sodium',     22.98976928,   3,  1),
    (12, 'Mg', 'Magnesium',  24.305,        3,  2),
    (13, 'Al', 'Aluminium',  26.9815384,    3, 13),
    (14, 'Si', 'Silicon',    28.085,        3, 14),
    (15, 'P',  'Phosphorus', 30.973761998,  3, 15),
    (16, 'S',  'Sulfur',     32.06,         3, 16),
    (17, 'Cl', 'Chlorine',   35.45,         3, 17),
    (18, 'Ar', 'Argon',      39.95,         3, 18),
    (19, 'K',  'Potassium',  39.0983,       4,  1),
    (20, 'Ca', 'Calcium',    40.078,        4,  2);
