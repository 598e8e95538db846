"""The sections of the in-app user guide (Panduan). Each capability adds its own section."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    audience: str
    summary: str


# The guide is written in Bahasa Indonesia for the officers who use Aksi.
SECTIONS = [
    Section(
        "mulai",
        "Memulai: masuk, menu dan bahasa",
        "Semua pengguna",
        "Cara masuk dengan akun pribadi, membaca menu sesuai peran, dan mengganti bahasa.",
    ),
    Section(
        "wilayah",
        "Menjelajah dan mencari wilayah",
        "Semua pengguna",
        "Pohon wilayah nasional menurut kode Kemendagri: provinsi sampai desa/kelurahan.",
    ),
    Section(
        "katalog",
        "Katalog indikator dan kerangka aksi",
        "Semua pengguna",
        "31 indikator layanan dengan definisi pembilang dan penyebut, serta 4+2 aksi konvergensi.",
    ),
    Section(
        "kelola-katalog",
        "Menyiapkan katalog tahun berikutnya",
        "Admin pusat",
        "Menyalin katalog ke tahun baru, mengubah definisi dan target, lalu menerbitkannya.",
    ),
]

SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS}
