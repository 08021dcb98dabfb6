create table item (id bigint primary key, name varchar(100) not null, price_cents bigint not null, stock int not null);
create table orders (id bigint auto_increment primary key, item_id bigint not null references item(id), quantity int not null);
create table audit (id bigint auto_increment primary key, order_id bigint not null, note varchar(200) not null);
