-- root categories have parent_id 0
INSERT INTO `categories` (`id`, `parent_id`, `category_name`) VALUES
(1, 0, 'Furniture'),
(2, 1, 'Sofas'),
(3, 1, 'Tables'),
(4, 1, 'Shelves'),
(10, 0, 'Appliances'),
(11, 10, 'Kitchen'),
(12, 10, 'Cleaning'),
(20, 0, 'Books'),
(21, 20, 'Comics'),
(22, 20, 'Novels'),
(23, 20, 'Magazines'),
(30, 0, 'Fashion'),
(31, 30, 'Tops'),
(32, 30, 'Shoes');
